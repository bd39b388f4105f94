"""`{% asset %}` writes what `{% static %}` writes, kept per process, forgotten when the
storage's settings change."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import override_settings

from home.templatetags.assets import asset_url

BASE = Path(settings.BASE_DIR, "templates", "base.html").read_text()
ASSETS = re.findall(r"{% asset '([^']+)' %}", BASE)


def _render(source):
    return engines["django"].from_string(source).render({})


def test_base_links_its_assets_through_the_kept_urls():
    assert "{% static" not in BASE
    assert len(ASSETS) == 7


@pytest.mark.parametrize("path", ASSETS)
def test_same_url_as_static(path):
    expected = _render(f"{{% load static %}}{{% static '{path}' %}}")
    assert expected.startswith("/static/")
    assert _render(f"{{% load assets %}}{{% asset '{path}' %}}") == expected
    # Kept: the second time from the process.
    hits = asset_url.cache_info().hits
    _render(f"{{% load assets %}}{{% asset '{path}' %}}")
    assert asset_url.cache_info().hits == hits + 1


def test_escaped_as_static():
    source = "{% load static assets %}{% static 'a&b.css' %} {% asset 'a&b.css' %}"
    assert _render(source) == "/static/a%26b.css /static/a%26b.css"


def test_forgotten_when_the_static_url_changes():
    assert asset_url("css/ecertif.css") == "/static/css/ecertif.css"
    with override_settings(STATIC_URL="/cdn/"):
        assert _render("{% load assets %}{% asset 'css/ecertif.css' %}") == "/cdn/css/ecertif.css"
    assert asset_url("css/ecertif.css") == "/static/css/ecertif.css"
