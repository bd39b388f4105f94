"""A worker killed (SIGKILL) while writing an export: after a restart, the export is done
exactly once (one file, no temporary file left), on the real Redis and PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from ecertif.celery import app as celery_app
from ecertif.mail.models import OutboxEmail
from ecertif.notifications.models import Notification
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from tests.factories.dossiers import DossierFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="un vrai worker demande REDIS_URL et PostgreSQL (DATABASE_URL)",
    ),
]


def database_url():
    """The test database (the worker must see what this test commits)."""
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, tmp_path, prefix, *, delay):
        self.log = open(tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log", "wb")  # noqa: SIM115
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "ECERTIF_TEST_KEYPREFIX": prefix,
            "ECERTIF_TEST_EXPORT_DELAY": str(delay),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.ops.worker_app",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--hostname",
            f"crash-{uuid.uuid4().hex[:8]}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self):
        """SIGKILL to the whole worker (main process and pool child): no cleanup at all."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def wait_for(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"toujours pas au bout de {timeout} s : {what}")


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_export_worker_killed_then_restarted_done_exactly_once(employer, tmp_path):
    for _ in range(3):
        DossierFactory(establishment=employer.membership.establishment)
    job = ExportJob.objects.create(owner=employer, kind=ExportKind.DOSSIERS, title="Dossiers")
    prefix = f"ecertif-test-{uuid.uuid4().hex}:"
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS, global_keyprefix=prefix)
    first = Worker(tmp_path, prefix, delay=60)
    second = None
    try:
        celery_app.conf.task_always_eager = False
        try:
            with celery_app.connection_for_write(
                settings.REDIS_URL, transport_options=options
            ) as broker:
                celery_app.send_task("exports.run", args=[job.pk], connection=broker)
        finally:
            celery_app.conf.task_always_eager = True

        # The worker claims the job and writes its temporary file... and dies.
        wait_for(
            lambda: any(name.endswith(".part") for name in media_files()),
            timeout=60,
            what="le fichier temporaire du premier essai",
        )
        first.kill()
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ExportStatus.RUNNING, 1)
        assert media_files() == [f"exports/.en-cours/job-{job.pk}-1.xlsx.part"]

        # Another worker: the broker hands the unacknowledged task back after the visibility
        # timeout, the new attempt takes over the job and finishes it.
        second = Worker(tmp_path, prefix, delay=0)
        wait_for(
            lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).exists(),
            timeout=90,
            what="l'export terminé par le second worker",
        )
        # Let any duplicate delivery run before checking that nothing happened twice.
        time.sleep(2)
    finally:
        if second is not None:
            second.stop()
        if first.process.poll() is None:
            first.kill()
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        client.close()

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.row_count) == (
        ExportStatus.DONE,
        2,
        100,
        3,
    )
    assert media_files() == [job.file.name]
    assert job.file.name.endswith(".xlsx")
    assert Notification.objects.filter(recipient=employer).count() == 1
    assert OutboxEmail.objects.filter(recipient=employer.email).count() == 1
