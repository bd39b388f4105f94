"""The list's fixed queries are prepared by PostgreSQL (ecertif.prepared, issue #14): planned
once per connection, logged with their values, and plain queries elsewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.rows import list_rows
from ecertif import prepared
from tests.deploy.test_prod_settings import PRODUCTION, run
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: prepared statements"
)


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@postgresql_only
def test_list_rows_and_counts_prepared_after_the_threshold(client):
    dossier = DossierFactory()
    client.force_login(StaffFactory())
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold == 5
    for _ in range(threshold):
        assert client.get("/dossiers/").status_code == 200
    # Prepared on its sixth run on the connection (maybe earlier, by another test).
    html = client.get("/dossiers/").content.decode()
    assert f">{dossier.number}</a>" in html
    statements = _prepared_statements()
    assert len([sql for sql in statements if "LEFT JOIN dossiers_candidate c" in sql]) == 1
    assert len([sql for sql in statements if "FROM dossiers_statecount" in sql]) == 1


@postgresql_only
def test_prepared_queries_logged_with_their_values():
    dossier = DossierFactory()
    staff = StaffFactory()
    with CaptureQueriesContext(connection) as context:
        rows = list_rows([dossier.pk], staff)
    assert [row.pk for row in rows] == [dossier.pk]
    (query,) = context.captured_queries
    assert "$1" not in query["sql"]
    assert f"n.recipient_id = {staff.pk} " in query["sql"]
    assert query["sql"].rstrip().endswith(f"WHERE d.id IN ({dossier.pk})")


def test_prepared_cursor_runs_everywhere():
    with prepared.prepared_cursor() as cursor:
        cursor.execute("SELECT %s + 1", [41])
        assert cursor.fetchone()[0] == 42
    assert prepared.enabled() is (connection.vendor == "postgresql")


@pytest.mark.parametrize(("value", "expected"), [(None, "5"), ("12", "12"), ("", "None")])
def test_prepare_threshold_setting(value, expected):
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))",
        DJANGO_SETTINGS_MODULE="ecertif.settings.prod",
        DB_PREPARE_THRESHOLD=value,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
