"""Fixed SQL that PostgreSQL plans once per connection (issue #14).

Django's PostgreSQL cursors bind parameters on the client (the values are written into the SQL
text), which rules out prepared statements. The few fixed queries run on every list page (its
rows, the per-state counts) go through `prepared_cursor()`: a cursor that binds on the server,
so that psycopg prepares a query once it has run `prepare_threshold` times on the connection
(`DB_PREPARE_THRESHOLD`, settings) and PostgreSQL then reuses its plan — planning the list's
rows took longer than running them. The cursor is wrapped as Django wraps its own (errors,
query logging, execute wrappers). Elsewhere (SQLite, or no threshold: a pooler that does not
keep prepared statements), the usual cursor."""

from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper


def enabled():
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    )


@contextmanager
def prepared_cursor():
    if not enabled():
        with connection.cursor() as cursor:
            yield cursor
        return
    # psycopg is PostgreSQL's driver: imported only where PostgreSQL is in use.
    import psycopg

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    wrapped = (
        _DebugWrapper(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    )
    with wrapped as cursor:
        yield cursor


class _DebugWrapper(CursorDebugWrapper):
    """Logs the query with its values written in (Django reads the text psycopg sent, which
    for a server-side binding has `$1`… in their place)."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        if use_last_executed_query and not many:
            sql, use_last_executed_query = self.db.ops.compose_sql(sql, params), False
        return super().debug_sql(sql, params, use_last_executed_query, many)
