"""A user's roles are derived from data, never stored: membership, accreditation, jury seat."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from ecertif.accounts.enums import ROLE_PRIORITY, SECRETARIAT_GROUP, Role
from ecertif.accounts.models import EmployerMembership
from ecertif.notifications.models import Notification
from evaluations.models import Assessor
from jurys.models import JuryMember


def roles_for(user):
    """The roles of `user`, most powerful first: no query for the user of a session (loaded by
    home.backends with its flags), else one."""
    if not user or not user.is_authenticated:
        return []
    # Loaded with the user of the session by home.backends: no query.
    flags = getattr(user, "role_flags", None) or _query_flags(user)
    if flags is None:
        return []
    held = {
        Role.SECRETARIAT: flags["is_staff"] or flags["in_secretariat"],
        Role.JURY_MEMBER: flags["has_jury_seat"],
        Role.ASSESSOR: flags["has_assessor"],
        Role.EMPLOYER: flags["has_membership"],
    }
    return [role for role in ROLE_PRIORITY if held[role]]


def _query_flags(user):
    loaded = user_with_roles(user.pk)
    return loaded.role_flags if loaded is not None else None


def _user_sql():
    user = get_user_model()
    groups = user.groups.through._meta
    return f"""
SELECT u.*,
  EXISTS (SELECT 1 FROM {EmployerMembership._meta.db_table} m
          WHERE m.user_id = u.id) AS has_membership,
  EXISTS (SELECT 1 FROM {Assessor._meta.db_table} a WHERE a.user_id = u.id) AS has_assessor,
  EXISTS (SELECT 1 FROM {JuryMember._meta.db_table} j
          WHERE j.user_id = u.id AND j.active) AS has_jury_seat,
  EXISTS (SELECT 1 FROM {groups.db_table} ug
          JOIN {Group._meta.db_table} g ON g.id = ug.group_id
          WHERE ug.user_id = u.id AND g.name = %s) AS in_secretariat,
  (SELECT count(*) FROM {Notification._meta.db_table} n
   WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS unread_notifications
FROM {user._meta.db_table} u WHERE u.id = %s
"""


_USER_SQL = []


def user_with_roles(pk):
    """The user `pk` with `role_flags` (what roles_for reads) and `unread_notifications` (the
    bell) set, in one fixed SQL query (written once: nothing for the ORM to compile per
    request); None if there is no such user or `pk` is malformed."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:  # a tampered session
        return None
    if not _USER_SQL:
        _USER_SQL.append(_user_sql())
    found = list(model._default_manager.raw(_USER_SQL[0], [SECRETARIAT_GROUP, pk]))
    if not found:
        return None
    user = found[0]
    user.role_flags = {
        "is_staff": user.is_staff,
        "has_membership": bool(user.has_membership),
        "has_assessor": bool(user.has_assessor),
        "has_jury_seat": bool(user.has_jury_seat),
        "in_secretariat": bool(user.in_secretariat),
    }
    user.unread_notifications = int(user.unread_notifications)
    return user


def primary_role(roles):
    return roles[0] if roles else None
