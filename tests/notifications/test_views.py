import pytest
from django.utils.html import escape

from ecertif.notifications.models import Notification
from ecertif.notifications.services import notify
from tests.factories.accounts import UserFactory

LIST_URL = "/notifications/"
MARK_ALL_URL = "/notifications/tout-lu/"
EMPTY_TEXT = "Vous n'avez aucune notification."


def _open_url(notification):
    return f"/notifications/{notification.pk}/ouvrir/"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def test_bell_on_home_no_unread(user_client, user):
    notify(recipient=user, text="Déjà lue")
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    response = user_client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["unread_notifications_count"]() == 0
    assert '<span class="visually-hidden">(aucune non lue)</span>' in content
    assert 'href="/notifications/"' in content
    assert "bell-badge" not in content


def test_bell_on_home_two_unread(user_client, user):
    notify(recipient=user, text="Un")
    notify(recipient=user, text="Deux")
    notify(recipient=UserFactory(), text="Pas pour moi")
    response = user_client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["unread_notifications_count"]() == 2
    assert (
        '<span class="badge rounded-pill text-bg-danger bell-badge align-top">2'
        '<span class="visually-hidden"> non lues</span></span>'
    ) in content


def test_bell_one_unread_singular(user_client, user):
    notify(recipient=user, text="Un")
    content = user_client.get("/").content.decode()
    assert '1<span class="visually-hidden"> non lue</span>' in content


@pytest.mark.django_db
def test_bell_anonymous_count_zero_without_query(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from ecertif.notifications.context_processors import notifications

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request)["unread_notifications_count"]() == 0


def test_context_processor_lazy_for_authenticated(rf, user, django_assert_num_queries):
    from ecertif.notifications.context_processors import notifications

    notify(recipient=user, text="Un")
    request = rf.get("/")
    request.user = user
    with django_assert_num_queries(0):
        count = notifications(request)["unread_notifications_count"]
    with django_assert_num_queries(1):
        assert count() == 1
        assert count() == 1


@pytest.mark.django_db
def test_list_anonymous_redirects_to_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/notifications/"


def test_list_shows_only_own_notifications(user_client, user):
    notify(recipient=user, text="Votre dossier n° 12 a été soumis.", link="/dossiers/12/")
    notify(recipient=UserFactory(), text="Message pour quelqu'un d'autre")
    response = user_client.get(LIST_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert [n.text for n in response.context["page_obj"]] == ["Votre dossier n° 12 a été soumis."]
    assert escape("Votre dossier n° 12 a été soumis.") in content
    assert escape("Message pour quelqu'un d'autre") not in content


def test_list_unread_highlighted_read_not(user_client, user):
    notify(recipient=user, text="Lue")
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    notify(recipient=user, text="Non lue")
    content = user_client.get(LIST_URL).content.decode()
    assert content.count("Nouveau</span>") == 1
    assert content.count('text-decoration-none fw-bold"') == 1
    assert "Tout marquer comme lu" in content


def test_list_date_in_french_format(user_client, user):
    notification = notify(recipient=user, text="Bonjour")
    Notification.objects.filter(pk=notification.pk).update(created_at="2026-11-27T09:05:00Z")
    content = user_client.get(LIST_URL).content.decode()
    assert "27/11/2026 à 10:05" in content


def test_list_empty_state(user_client):
    content = user_client.get(LIST_URL).content.decode()
    assert EMPTY_TEXT in content
    assert "Tout marquer comme lu" not in content


def test_list_all_read_no_mark_all_button(user_client, user):
    notify(recipient=user, text="Lue")
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    content = user_client.get(LIST_URL).content.decode()
    assert "Tout marquer comme lu" not in content
    assert "Nouveau</span>" not in content


@pytest.mark.parametrize("rows", [1, 3])
def test_list_num_queries_constant(user_client, user, rows, django_assert_num_queries):
    for index in range(rows):
        notify(recipient=user, text=f"Notification {index}", link=f"/dossiers/{index}/")
    with django_assert_num_queries(4):
        response = user_client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == rows


def test_list_paginated_by_twenty(user_client, user):
    for index in range(25):
        notify(recipient=user, text=f"Notification {index}")
    first = user_client.get(LIST_URL)
    second = user_client.get(LIST_URL, {"page": 2})
    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    first_content = first.content.decode()
    second_content = second.content.decode()
    assert "Page 1 sur 2" in first_content
    assert 'href="?page=2">Suivant</a>' in first_content
    assert '<span class="page-link">Précédent</span>' in first_content
    assert "Page 2 sur 2" in second_content
    assert 'href="?page=1">Précédent</a>' in second_content
    assert '<span class="page-link">Suivant</span>' in second_content
    # Newest first: the five oldest are on page 2.
    assert [n.text for n in second.context["page_obj"]] == [
        "Notification 4",
        "Notification 3",
        "Notification 2",
        "Notification 1",
        "Notification 0",
    ]


def test_list_single_page_no_pagination(user_client, user):
    notify(recipient=user, text="Bonjour")
    assert "Page 1 sur 1" not in user_client.get(LIST_URL).content.decode()


def test_open_marks_read_and_redirects_to_link(user_client, user):
    notification = notify(recipient=user, text="Dossier soumis", link="/dossiers/12/")
    response = user_client.post(_open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_without_link_redirects_to_list(user_client, user):
    notification = notify(recipient=user, text="Bonjour")
    response = user_client.post(_open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_unsafe_link_edited_in_admin_redirects_to_list(user_client, user):
    notification = notify(recipient=user, text="Bonjour")
    Notification.objects.filter(pk=notification.pk).update(link="//evil.example/")
    response = user_client.post(_open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL


def test_open_other_users_notification_404(user_client):
    notification = notify(recipient=UserFactory(), text="Pas pour moi", link="/dossiers/1/")
    response = user_client.post(_open_url(notification))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_get_405(user_client, user):
    notification = notify(recipient=user, text="Bonjour")
    response = user_client.get(_open_url(notification))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_own_only(user_client, user):
    notify(recipient=user, text="Un")
    notify(recipient=user, text="Deux")
    other = notify(recipient=UserFactory(), text="Autre")
    response = user_client.post(MARK_ALL_URL, follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None
    assert [str(m) for m in response.context["messages"]] == [
        "Toutes vos notifications sont marquées comme lues."
    ]
    assert "(aucune non lue)" in response.content.decode()


def test_mark_all_read_get_405(user_client, user):
    notify(recipient=user, text="Un")
    response = user_client.get(MARK_ALL_URL)
    assert response.status_code == 405
    assert Notification.objects.get().read_at is None


@pytest.mark.django_db
def test_mark_all_read_anonymous_redirects_to_login(client):
    response = client.post(MARK_ALL_URL)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/notifications/tout-lu/"


def test_admin_changelist_filters_unread(admin_client, user):
    notify(recipient=user, text="Non lue")
    read = notify(recipient=user, text="Lue")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00:00Z")
    response = admin_client.get("/admin/notifications/notification/", {"lue": "non"})
    assert response.status_code == 200
    assert [n.text for n in response.context["cl"].result_list] == ["Non lue"]
