"""Authentication backends that load, with the user of a session, what every page asks next:
the role flags (home/roles.py) and the bell's unread count — one query instead of three.

The SQL is written once (no ORM compilation per request) from the models' table names; the
user row is the same as Django's `ModelBackend.get_user` would load (`raw()` builds the model),
refused the same way when the account cannot authenticate (inactive)."""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group

from ecertif.accounts.enums import SECRETARIAT_GROUP
from ecertif.accounts.models import EmployerMembership
from ecertif.notifications.models import Notification
from evaluations.models import Assessor
from jurys.models import JuryMember


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


class UserWithRolesMixin:
    _sql = None

    def get_user(self, user_id):
        if UserWithRolesMixin._sql is None:
            UserWithRolesMixin._sql = _user_sql()
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except Exception:  # a tampered session: no user, as ModelBackend
            return None
        found = list(get_user_model()._default_manager.raw(self._sql, [SECRETARIAT_GROUP, user_id]))
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
        return user if self.user_can_authenticate(user) else None


class ModelBackend(UserWithRolesMixin, backends.ModelBackend):
    """Django's backend (password login by email), loading the roles with the user."""


class AuthenticationBackend(UserWithRolesMixin, allauth_backends.AuthenticationBackend):
    """allauth's backend (login form, rate limits), loading the roles with the user."""
