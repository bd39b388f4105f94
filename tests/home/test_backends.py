"""The authentication backends load the roles and the unread count with the session's user
(home/backends.py): one query where there were three, the same answers as before."""

import pytest
from django.test import RequestFactory

from ecertif.accounts.enums import Role
from ecertif.accounts.groups import ensure_secretariat_group
from ecertif.notifications.selectors import unread_count
from ecertif.notifications.services import mark_all_read, notify
from home.backends import AuthenticationBackend, ModelBackend
from home.roles import _query_flags, roles_for
from tests.factories.accounts import EmployerFactory, StaffFactory, UserFactory
from tests.factories.evaluations import AssessorFactory
from tests.factories.jurys import JuryMemberFactory

pytestmark = pytest.mark.django_db


def people():
    staff_in_group_only = UserFactory()
    staff_in_group_only.groups.add(ensure_secretariat_group())
    both = EmployerFactory()
    AssessorFactory(user=both)
    return {
        "staff": (StaffFactory(), [Role.SECRETARIAT]),
        "group": (staff_in_group_only, [Role.SECRETARIAT]),
        "employer": (EmployerFactory(), [Role.EMPLOYER]),
        "assessor": (AssessorFactory().user, [Role.ASSESSOR]),
        "jury": (JuryMemberFactory().user, [Role.JURY_MEMBER]),
        "former_jury": (JuryMemberFactory(active=False).user, []),
        "employer_and_assessor": (both, [Role.ASSESSOR, Role.EMPLOYER]),
        "nobody": (UserFactory(), []),
    }


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_get_user_loads_the_same_roles_in_one_query(backend, django_assert_num_queries):
    for name, (person, roles) in people().items():
        with django_assert_num_queries(1):
            loaded = backend().get_user(person.pk)
            assert roles_for(loaded) == roles, name
        assert loaded == person
        # The flags are those the ORM query computes.
        assert loaded.role_flags == _query_flags(person), name


def test_get_user_refuses_inactive_unknown_and_malformed_ids():
    inactive = UserFactory(is_active=False)
    assert ModelBackend().get_user(inactive.pk) is None
    assert ModelBackend().get_user(999_999) is None
    assert ModelBackend().get_user("pas-un-nombre") is None


def test_unread_count_loaded_with_the_user_and_reset_by_mark_all_read(django_assert_num_queries):
    user = UserFactory()
    notify(recipient=user, text="Un")
    notify(recipient=user, text="Deux")
    loaded = ModelBackend().get_user(user.pk)
    with django_assert_num_queries(0):
        assert unread_count(loaded) == 2
    mark_all_read(user=loaded)
    assert unread_count(loaded) == 0


def test_a_page_asks_no_role_query_after_the_user(client, django_assert_num_queries):
    client.force_login(EmployerFactory())
    # Session, user with its roles and unread count, the page's notifications.
    response = client.get("/notifications/")
    assert response.status_code == 200
    with django_assert_num_queries(3):
        client.get("/notifications/")


def test_a_role_removed_between_two_requests_is_gone_on_the_next(client):
    employer = EmployerFactory()
    client.force_login(employer)
    assert client.get("/dossiers/nouveau/").status_code in (200, 302)
    employer.membership.delete()
    assert client.get("/dossiers/nouveau/").status_code in (403, 404)


def test_request_factory_users_still_get_their_roles_by_query():
    user = StaffFactory()
    request = RequestFactory().get("/")
    request.user = user
    assert roles_for(request.user) == [Role.SECRETARIAT]
