import pytest

from ecertif.notifications.models import Notification
from ecertif.notifications.selectors import notifications_for, unread_count
from ecertif.notifications.services import mark_all_read, mark_read, notify, notify_many
from tests.factories.accounts import UserFactory


@pytest.mark.django_db
def test_notify_creates_row_with_link():
    user = UserFactory()
    notification = notify(recipient=user, text="Dossier n° 12 soumis.", link="/dossiers/12/")
    notification.refresh_from_db()
    assert notification.recipient == user
    assert notification.text == "Dossier n° 12 soumis."
    assert notification.link == "/dossiers/12/"
    assert notification.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "x/"],
)
def test_notify_unsafe_link_dropped(link):
    notification = notify(recipient=UserFactory(), text="Bonjour", link=link)
    notification.refresh_from_db()
    assert notification.link == ""


@pytest.mark.django_db
def test_notify_long_text_truncated():
    notification = notify(recipient=UserFactory(), text="a" * 400)
    notification.refresh_from_db()
    assert len(notification.text) == 300
    assert notification.text.endswith("…")


@pytest.mark.django_db
def test_notify_many_one_row_per_recipient():
    first, second = UserFactory(), UserFactory()
    notify_many(recipients=[first, second, first], text="Session du 27/11", link="/jurys/3/")
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.text, n.link) for n in rows] == [
        (first.pk, "Session du 27/11", "/jurys/3/"),
        (second.pk, "Session du 27/11", "/jurys/3/"),
    ]
    assert all(n.created_at is not None for n in rows)


@pytest.mark.django_db
def test_notify_many_unsafe_link_dropped():
    notify_many(recipients=[UserFactory()], text="Bonjour", link="https://evil.example/")
    assert Notification.objects.get().link == ""


@pytest.mark.django_db
def test_mark_read_keeps_first_date():
    notification = notify(recipient=UserFactory(), text="Bonjour")
    mark_read(notification=notification)
    first_read_at = notification.read_at
    mark_read(notification=notification)
    notification.refresh_from_db()
    assert notification.read_at == first_read_at


@pytest.mark.django_db
def test_mark_all_read_only_own_unread():
    user, other = UserFactory(), UserFactory()
    notify(recipient=user, text="Un")
    notify(recipient=user, text="Deux")
    notify(recipient=other, text="Autre")
    assert mark_all_read(user=user) == 2
    assert unread_count(user) == 0
    assert unread_count(other) == 1


@pytest.mark.django_db
def test_notifications_for_only_own_newest_first():
    user, other = UserFactory(), UserFactory()
    older = notify(recipient=user, text="Ancienne")
    newer = notify(recipient=user, text="Récente")
    notify(recipient=other, text="Autre")
    assert list(notifications_for(user)) == [newer, older]
