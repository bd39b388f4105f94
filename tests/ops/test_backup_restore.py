"""scripts/backup.sh then scripts/restore.sh into a new, empty database: same rows, same files."""

import os
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from dossiers.models import Attachment
from tests.factories.dossiers import AttachmentFactory, DossierFactory
from tests.s3_server import BUCKET, keys

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump demande PostgreSQL (DATABASE_URL)"
    ),
]


def url_for(name):
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def run(script, argument, *, database, media_root=None):
    """Run a script with this database; the media on disk at `media_root`, else on S3 (env)."""
    env = {key: value for key, value in os.environ.items() if key != "PGDATABASE"}
    if media_root is not None:
        env = {key: value for key, value in env.items() if not key.startswith(("S3_", "AWS_"))}
        env["MEDIA_ROOT"] = str(media_root)
    env.update(DATABASE_URL=url_for(database), PYTHON=sys.executable)
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), str(argument)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def row_counts(database):
    with psycopg.connect(url_for(database).replace("postgres://", "postgresql://", 1)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def files(root):
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = url_for("postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_into_an_empty_database(settings, tmp_path, empty_database):
    for dossier in (DossierFactory(), DossierFactory(validated=True)):
        AttachmentFactory(dossier=dossier)
    source = connection.settings_dict["NAME"]
    media = Path(settings.MEDIA_ROOT)
    backup = tmp_path / "sauvegarde"

    done = run("backup.sh", backup, database=source, media_root=media)
    assert done.returncode == 0, done.stderr
    assert "Sauvegarde terminée" in done.stdout
    assert (backup / "MANIFEST").read_text().splitlines()[1:] == [
        f"database={source}",
        "files=2",
    ]

    restored_media = tmp_path / "media-restaure"
    done = run("restore.sh", backup, database=empty_database, media_root=restored_media)
    assert done.returncode == 0, done.stderr

    before, after = row_counts(source), row_counts(empty_database)
    assert after == before
    assert before["dossiers_attachment"] == 2
    assert before["django_migrations"] > 0
    assert files(restored_media) == files(media)
    assert sorted(files(media)) == sorted(a.file.name for a in Attachment.objects.all())


def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path, empty_database):
    source = connection.settings_dict["NAME"]
    backup = tmp_path / "sauvegarde"
    assert run("backup.sh", backup, database=source, media_root=tmp_path / "m").returncode == 0

    done = run("restore.sh", backup, database=source, media_root=tmp_path / "m2")

    assert done.returncode == 3
    assert "restaurez dans une base vide" in done.stderr


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    backup = tmp_path / "sauvegarde"
    backup.mkdir()
    (backup / "ancien").write_text("x")

    done = run("backup.sh", backup, database=connection.settings_dict["NAME"], media_root=tmp_path)

    assert done.returncode == 2
    assert "n'est pas vide" in done.stderr


def test_backup_and_restore_media_on_object_storage(s3, tmp_path, empty_database, monkeypatch):
    s3_client, _endpoint = s3
    attachments = [AttachmentFactory(dossier=DossierFactory()) for _ in range(2)]
    stored = {
        a.file.name: s3_client.get_object(Bucket=BUCKET, Key=a.file.name)["Body"].read()
        for a in attachments
    }
    backup = tmp_path / "sauvegarde"

    done = run("backup.sh", backup, database=connection.settings_dict["NAME"])
    assert done.returncode == 0, done.stderr
    assert "2 objet(s) téléchargé(s)." in done.stdout
    assert files(backup / "media") == stored

    # Restored into another bucket (a new installation), and an empty database.
    s3_client.create_bucket(Bucket="ecertif-media-restaure")
    monkeypatch.setenv("S3_BUCKET", "ecertif-media-restaure")
    done = run("restore.sh", backup, database=empty_database)
    assert done.returncode == 0, done.stderr
    assert "2 objet(s) envoyé(s)." in done.stdout
    restored = {
        key: s3_client.get_object(Bucket="ecertif-media-restaure", Key=key)["Body"].read()
        for key in keys(s3_client, bucket="ecertif-media-restaure")
    }
    assert restored == stored
    assert row_counts(empty_database) == row_counts(connection.settings_dict["NAME"])
