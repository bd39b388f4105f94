"""Bulk row writer for generated data: COPY on PostgreSQL, executemany elsewhere.

Rows are plain tuples with their final values (ids chosen here, dates already in the past):
nothing is updated after insertion. Used by `generate_load_data` only.
"""

import datetime
import time

from django.core.management.color import no_style
from django.db import connection


class BulkWriter:
    """Buffers tuples per model and writes them in one COPY (PostgreSQL) per table and flush."""

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.columns = {}
        self.buffers = {}
        self.next_id = {}
        self.counts = {}
        self.seconds = {}
        self.order = []

    def table(self, model, fields):
        """Declare the columns written for `model`: field names, space-separated, in the order
        of the tuples given to `add`."""
        columns = [model._meta.get_field(name).column for name in fields.split()]
        self.columns[model] = columns
        self.buffers[model] = []
        self.counts[model] = 0
        self.seconds[model] = 0.0
        self.order.append(model)

    def ids(self, model, count):
        """`count` fresh primary keys for `model`, after the highest one in the table."""
        if model not in self.next_id:
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self.next_id[model] = cursor.fetchone()[0] + 1
        first = self.next_id[model]
        self.next_id[model] += count
        return range(first, first + count)

    def new_id(self, model):
        if model not in self.next_id:
            self.ids(model, 0)
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def add(self, model, row):
        self.buffers[model].append(row)

    def flush(self):
        """Write every buffer, in declaration order (parents before children)."""
        for model in self.order:
            rows = self.buffers[model]
            if not rows:
                continue
            start = time.perf_counter()
            self._write(model, rows)
            self.seconds[model] += time.perf_counter() - start
            self.counts[model] += len(rows)
            self.buffers[model] = []

    def _write(self, model, rows):
        if len(rows[0]) != len(self.columns[model]):
            raise ValueError(f"{model.__name__}: {len(rows[0])} values for the declared columns")
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column) for column in self.columns[model])
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(self.columns[model]))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",
                [tuple(_portable(value) for value in row) for row in rows],
            )

    def finish(self):
        """Move the id sequences past the chosen ids, then refresh the planner's statistics."""
        models = [model for model in self.order if "id" in self.columns[model]]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        if self.postgresql:
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in self.order)
            # VACUUM also sets the visibility map (index-only scans from the first request), but
            # cannot run inside a transaction (tests): ANALYZE alone there.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(f"{command} {tables}")


def _portable(value):
    """SQLite: dates and times as Django stores them (naive UTC text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value
