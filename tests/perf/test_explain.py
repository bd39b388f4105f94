"""On PostgreSQL, at 10,000 dossiers after ANALYZE, the list and search queries read the
dossiers through indexes: no sequential scan of `dossiers_dossier`."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.load_data import generate
from dossiers.models import Candidate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the plans (and trigram indexes) are PostgreSQL's",
    ),
]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """10,000 generated dossiers (COPY, then ANALYZE), shared by this module's tests and
    removed at its end (the rows are committed: the plans need real statistics)."""
    with django_db_blocker.unblock():
        from django.core.management import call_command

        generate(dossiers=10_000, per_establishment=50)
        yield
        call_command("flush", interactive=False, verbosity=0)


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plans(client, path):
    """(sql, [plan nodes]) of every SELECT on the dossiers run by the page at `path`."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    plans = []
    for query in context.captured_queries:
        sql = query["sql"].strip()
        if not sql.lstrip("(").startswith(("SELECT", "WITH")) or "dossiers_dossier" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        plans.append((sql, list(_nodes(plan[0]["Plan"]))))
    return plans


def _scans(nodes):
    return {
        (node["Node Type"], node.get("Index Name", ""))
        for node in nodes
        if node.get("Relation Name") == "dossiers_dossier"
    }


@pytest.mark.parametrize(
    "path",
    ["/dossiers/", "/dossiers/?state=validated", "/dossiers/?state=awaiting_jury&page=3"],
)
def test_list_reads_the_dossiers_through_indexes(client, loaded, path):
    client.force_login(get_user_model().objects.get(email="secretariat@demo.ecertif.fr"))
    plans = _plans(client, path)
    # One query: the count from the per-state counters (no read of the dossiers), the page's
    # ids, its rows by id.
    assert not any("COUNT(*)" in sql.upper() for sql, _nodes in plans)
    assert len(plans) == 1
    assert "dossiers_statecount" in plans[0][0]
    for sql, nodes in plans:
        scans = _scans(nodes)
        assert scans and all(kind != "Seq Scan" for kind, _index in scans), (sql, scans)


def test_search_reads_the_dossiers_and_candidates_through_indexes(client, loaded):
    term = Candidate.objects.order_by("-pk").values_list("birth_name", flat=True).first()
    client.force_login(get_user_model().objects.get(email="secretariat@demo.ecertif.fr"))
    plans = _plans(client, f"/dossiers/?q={term}")
    # The hits in their order (the count and the page), then the page's rows.
    assert len(plans) == 2
    for sql, nodes in plans:
        scans = _scans(nodes)
        assert scans and all(kind != "Seq Scan" for kind, _index in scans), (sql, scans)
        candidates = [n for n in nodes if n.get("Relation Name") == "dossiers_candidate"]
        assert all(n["Node Type"] != "Seq Scan" for n in candidates), (sql, candidates)


def test_admin_search_reads_the_dossiers_through_indexes(client, loaded):
    term = Candidate.objects.order_by("-pk").values_list("birth_name", flat=True).first()
    client.force_login(get_user_model().objects.get(email="secretariat@demo.ecertif.fr"))
    plans = _plans(client, f"/admin/dossiers/dossier/?q={term}")
    assert plans
    for sql, nodes in plans:
        scans = _scans(nodes)
        assert all(kind != "Seq Scan" for kind, _index in scans), (sql, scans)
