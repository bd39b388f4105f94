import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories.accounts import EmployerFactory, StaffFactory, UserFactory

# The `s3` fixture: a real S3 server on loopback (moto's server mode).
pytest_plugins = ["tests.s3_server"]


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache: every test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def referentiel(db):
    call_command("loaddata", "referentiel", verbosity=0)


@pytest.fixture
def employer(db):
    return EmployerFactory()


@pytest.fixture
def other_employer(db):
    """An employer of another establishment: every dossier of `employer` is a 404 for them."""
    return EmployerFactory()


@pytest.fixture
def secretariat(db):
    return StaffFactory(email="secretariat@exemple.fr")


@pytest.fixture
def plain_user(db):
    return UserFactory()


def pytest_collection_modifyitems(items):
    # One real Celery worker consumes the shared Redis queue: those tests share an xdist worker.
    for item in items:
        if item.get_closest_marker("redis"):
            item.add_marker(pytest.mark.xdist_group("redis"))


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"e-Certif: database {engine}, redis {'on' if settings.REDIS_URL else 'off'}"
