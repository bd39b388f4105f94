"""The secretariat's statistics served from a stored snapshot (see `StatisticsSnapshot`).

The secretariat counts every dossier: computing its page takes time proportional to the
dossiers (about 2 s at 100,000 on two busy cores). Its tables are stored once computed and
served for `MAX_AGE`; the `stats.refresh_snapshots` task recomputes the unfiltered page every
10 minutes, so that page never waits. Other roles count their own few dossiers, live.
"""

import datetime
import hashlib

from django.utils import timezone

from ecertif.tables import Column, Table

from . import statistics
from .models import StatisticsSnapshot

MAX_AGE = datetime.timedelta(minutes=10)
DATE_KINDS = {"date": datetime.date.fromisoformat, "datetime": datetime.datetime.fromisoformat}


def snapshot_key(keys, filters):
    return hashlib.sha256(repr((tuple(keys), filters)).encode()).hexdigest()


def _encode(table):
    return {
        "key": table.key,
        "title": table.title,
        "columns": [[c.header, c.kind, c.width] for c in table.columns],
        "rows": [
            [v.isoformat() if isinstance(v, datetime.date) else v for v in row]
            for row in table.rows
        ],
    }


def _decode(data):
    columns = [Column(*column) for column in data["columns"]]
    parsers = [DATE_KINDS.get(column.kind) for column in columns]
    rows = [
        tuple(
            parse(value) if parse and value is not None else value
            for parse, value in zip(parsers, row, strict=True)
        )
        for row in data["rows"]
    ]
    return Table(key=data["key"], title=data["title"], columns=columns, rows=rows)


def compute(keys, filters, *, now=None):
    """Compute the secretariat's `keys` tables for `filters` and store them."""
    scope = statistics.scope_for_everything()
    tables = [statistics.table(key, scope, filters) for key in keys]
    computed_at = now or timezone.now()
    StatisticsSnapshot.objects.bulk_create(
        [
            StatisticsSnapshot(
                key=snapshot_key(keys, filters),
                computed_at=computed_at,
                tables=[_encode(table) for table in tables],
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["computed_at", "tables"],
    )
    return {table.key: table for table in tables}, computed_at


def read(keys, filters):
    """({key: Table}, computed_at): the stored snapshot if younger than `MAX_AGE`, else a
    fresh computation (stored for the next visits)."""
    snapshot = (
        StatisticsSnapshot.objects.filter(
            key=snapshot_key(keys, filters), computed_at__gt=timezone.now() - MAX_AGE
        )
        .only("computed_at", "tables")
        .first()
    )
    if snapshot is None:
        return compute(keys, filters)
    return {data["key"]: _decode(data) for data in snapshot.tables}, snapshot.computed_at
