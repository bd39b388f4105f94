"""Trigram indexes for the dossier list's search (`icontains` on names and number).

PostgreSQL only, and only where the pg_trgm extension can be enabled: elsewhere the search
works the same, without these indexes."""

from django.db import migrations, transaction

INDEXES = [
    ("dossiers_candidate", "birth_name", "candidate_birth_name_trgm"),
    ("dossiers_candidate", "usage_name", "candidate_usage_name_trgm"),
    ("dossiers_candidate", "first_names", "candidate_first_names_trgm"),
    ("dossiers_dossier", "number", "dossier_number_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 — no right to create extensions: keep the plain search
        return
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("dossiers", "0002_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
