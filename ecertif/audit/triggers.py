"""PostgreSQL triggers that make the audit tables append-only (django-pgtrigger).

Every trigger below is checked by PostgreSQL itself: a raw SQL ``UPDATE`` or ``DELETE`` fails
as well as the ORM. The few legitimate rewrites (the RGPD anonymisation erasing a candidate's
field history, the demo spreading its dates) go through ``pgtrigger.ignore(...)`` explicitly.
"""

import pgtrigger

# Nobody rewrites an audit row.
NO_UPDATE = pgtrigger.Protect(name="append_only_update", operation=pgtrigger.Update)
# Nobody deletes one either, except code that names this trigger in pgtrigger.ignore().
NO_DELETE = pgtrigger.Protect(name="append_only_delete", operation=pgtrigger.Delete)


def append_only():
    """The pair of triggers for a history table that only the erasure may shrink."""
    return [NO_UPDATE, NO_DELETE]


def delete_only_older_than(*, days):
    """Rows may be purged once older than `days` (a floor below the configured retention)."""
    return pgtrigger.Protect(
        name="purge_only_old_rows",
        operation=pgtrigger.Delete,
        condition=pgtrigger.Condition(f"OLD.at > now() - interval '{int(days)} days'"),
    )
