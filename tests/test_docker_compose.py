"""docker-compose.yml, Dockerfile and .env.example stay in step with the code they deploy."""

import importlib.util
import re
import shlex
from pathlib import Path

import environ
import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"web", "worker", "beat", "db", "redis"}
APP_SERVICES = ("web", "worker", "beat")
# `${VAR}`, `${VAR:-default}`, `${VAR:?error}`; `$${VAR}` is escaped and left to the container.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
SETTINGS_VARIABLE = re.compile(
    r"\benv(?:\.(?:bool|int|float|str|list|tuple|dict|json|url|db|db_url|cache|path))?"
    r"\(\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']"
)


@pytest.fixture(scope="module")
def compose_text():
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(compose_text):
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def env_example():
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, separator, value = line.partition("=")
            assert separator, f"ligne sans « = » dans .env.example : {line!r}"
            values[name.strip()] = value.strip()
    return values


def command_words(service):
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_defines_the_five_services(compose):
    assert set(compose["services"]) == SERVICES


def test_compose_web_runs_gunicorn_after_migrate_and_collectstatic(compose):
    words = command_words(compose["services"]["web"])
    assert words[:2] == ["sh", "-c"]
    script = words[2]
    steps = [step.strip() for step in script.split("&&")]
    assert steps[0] == "python manage.py migrate --noinput"
    assert steps[1] == "python manage.py collectstatic --noinput"
    gunicorn = shlex.split(steps[2])
    assert gunicorn[:3] == ["exec", "gunicorn", "ecertif.wsgi:application"]


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_compose_celery_services_use_the_ecertif_app(compose, name):
    words = command_words(compose["services"][name])
    assert words[:4] == ["celery", "-A", "ecertif", name]


def test_compose_commands_name_existing_modules():
    # gunicorn loads ecertif.wsgi, `celery -A ecertif` loads ecertif.celery.
    assert importlib.util.find_spec("ecertif.wsgi") is not None
    assert importlib.util.find_spec("ecertif.celery") is not None
    assert (ROOT / "manage.py").is_file()


def test_compose_app_services_share_the_image_and_env_file(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["build"] == ".", name
        assert service["image"] == "ecertif:latest", name
        assert service["env_file"] == ".env", name


def test_compose_images_of_backing_services(compose):
    assert compose["services"]["db"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"


def test_compose_every_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        assert service["healthcheck"]["test"], name


def test_compose_dependencies_wait_for_health(compose):
    services = compose["services"]
    expected = {
        "web": {"db", "redis"},
        "worker": {"db", "redis", "web"},
        "beat": {"redis", "web"},
    }
    for name, dependencies in expected.items():
        depends_on = services[name]["depends_on"]
        assert set(depends_on) == dependencies, name
        for dependency in dependencies:
            assert depends_on[dependency] == {"condition": "service_healthy"}, (name, dependency)


def test_compose_media_volume_is_shared_by_web_and_worker(compose, env_example):
    mount = f"media:{env_example['MEDIA_ROOT']}"
    assert "media" in compose["volumes"]
    assert mount in compose["services"]["web"]["volumes"]
    assert mount in compose["services"]["worker"]["volumes"]


def test_compose_postgres_password_comes_from_the_environment(compose):
    password = compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${POSTGRES_PASSWORD:?")


def test_env_example_defines_every_compose_variable(compose_text, env_example):
    lines = [line for line in compose_text.splitlines() if not line.lstrip().startswith("#")]
    used = set(COMPOSE_VARIABLE.findall("\n".join(lines)))
    assert "POSTGRES_PASSWORD" in used
    assert sorted(used - set(env_example)) == []


def test_env_example_defines_every_variable_read_by_settings(env_example):
    used = set()
    for path in sorted((ROOT / "ecertif" / "settings").glob("*.py")):
        used |= set(SETTINGS_VARIABLE.findall(path.read_text()))
    # The regex must keep finding reads written in each style.
    assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "CONN_MAX_AGE"} <= used
    assert sorted(used - set(env_example)) == []


def test_env_example_values_parse_as_the_settings_read_them(env_example):
    assert env_example["SECRET_KEY"].startswith("changez-moi")
    assert env_example["DEBUG"] == "false"
    assert int(env_example["SECURE_HSTS_SECONDS"]) == 31536000
    assert int(env_example["CONN_MAX_AGE"]) == 60
    email = environ.Env.email_url_config(env_example["EMAIL_URL"])
    assert email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert email["EMAIL_PORT"] == 587
    assert email["EMAIL_USE_TLS"] is True


def test_env_example_database_url_matches_the_postgres_service(env_example):
    database = environ.Env.db_url_config(env_example["DATABASE_URL"])
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db"
    assert database["NAME"] == env_example["POSTGRES_DB"]
    assert database["USER"] == env_example["POSTGRES_USER"]
    assert database["PASSWORD"] == env_example["POSTGRES_PASSWORD"]
    assert env_example["REDIS_URL"] == "redis://redis:6379/0"


def test_dockerfile_builds_a_non_root_python_image():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert lines[[line.startswith("FROM ") for line in lines].index(True)] == (
        "FROM python:3.13-slim"
    )
    text = "\n".join(lines)
    for package in ("libharfbuzz-subset0", "libpango-1.0-0", "libpangoft2-1.0-0"):
        assert package in text
    assert "RUN pip install ." in text
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}


def test_dockerfile_copies_every_local_app():
    copied = set()
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied.update(word.rstrip("/") for word in line.split()[1:-1])
    local_packages = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    assert {"ecertif", "referentiel"} <= local_packages
    needed = local_packages | {"manage.py", "templates", "static", "fixtures"}
    assert sorted(needed - copied) == []
    for path in copied - {"pyproject.toml"}:
        assert (ROOT / path).exists(), path
