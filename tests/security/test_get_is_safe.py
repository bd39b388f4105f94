"""Every URL pattern, fetched with GET by every role: no database write, never a 500."""

import contextlib
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from demo.demo import seed_demo
from dossiers.enums import DossierState
from dossiers.models import Dossier
from ecertif.notifications.models import Notification
from exports.models import ExportJob
from jurys.models import JurySession
from tests.factories.dossiers import AttachmentFactory

pytestmark = pytest.mark.django_db

# Writes a GET may do: the session (login state, messages), the personal-data access log,
# which records reads by design, and the statistics snapshot, a cache of derived figures
# (stats/snapshots.py) that changes no business data.
ALLOWED_TABLES = {"django_session", "audit_accesslog", "stats_statisticssnapshot"}
WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE)\b.*?\b(?:INTO|FROM|UPDATE)?\s*\"?(\w+)\"?", re.I | re.S
)
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


class WriteDetector:
    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if statement.startswith(("INSERT", "UPDATE", "DELETE")):
            table = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', sql, re.I).group(1)
            if table not in ALLOWED_TABLES:
                self.writes.append(sql[:120])
        return execute(sql, params, many, context)


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # walked through the admin's registry below
            yield from _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _fill(route, values):
    if route.startswith("^") or "(?P" in route:
        return None
    url = route
    for converter, name in PARAM.findall(route):
        value = values(route, name, converter)
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
    return "/" + url


@pytest.fixture
def demo(db):
    call_command("loaddata", "referentiel", verbosity=0)
    users = seed_demo()
    decided = Dossier.objects.filter(state=DossierState.VALIDATED).first()
    attachment = AttachmentFactory(dossier=Dossier.objects.filter(state="registering").first())
    session = JurySession.objects.order_by("pk").first()
    ExportJob.objects.create(owner=users["employer"], kind="dossiers", parameters={})
    ids = {
        "dossiers": attachment.dossier_id,
        "jurys/sessions": session.pk,
        "jurys": decided.pk,
        "exports": ExportJob.objects.get().pk,
        "notifications": Notification.objects.order_by("pk").first().pk,
        "evaluations": decided.pk,
    }

    def values(route, name, converter):
        if name == "attachment_pk":
            return attachment.pk
        if converter == "int":
            for prefix, value in ids.items():
                if route.startswith(prefix):
                    return value
            return decided.pk
        return "x"

    return users, values


def _admin_urls():
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                with contextlib.suppress(NoReverseMatch):
                    urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk]))
    return urls


@pytest.mark.parametrize("role", [None, "employer", "assessor", "jury", "secretariat"])
def test_get_never_writes_nor_fails(client, demo, role):
    users, values = demo
    if role:
        client.force_login(users[role])
    urls = [url for url in (_fill(r, values) for r in _routes(get_resolver().url_patterns)) if url]
    if role == "secretariat":
        urls += _admin_urls()
    assert len(urls) > 60
    detector = WriteDetector()
    failures = []
    with connection.execute_wrapper(detector):
        for url in urls:
            detector.writes.clear()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)  # closes the file
            if response.status_code >= 500 or detector.writes:
                failures.append((url, response.status_code, list(detector.writes)))
    assert failures == []


def test_write_detector_sees_writes(db):
    detector = WriteDetector()
    with connection.execute_wrapper(detector):
        Notification.objects.filter(pk=0).update(link="")
    assert len(detector.writes) == 1
