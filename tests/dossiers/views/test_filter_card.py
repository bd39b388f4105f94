"""The dossier list's filters are written once per process for the same data, choices and year
(`{% filter_card %}`): what is kept is what a fresh rendering writes, and a change of choices
or of year is shown at once."""

import re
from pathlib import Path

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed

from dossiers.forms import DossierFilterForm, choices_version
from dossiers.templatetags import dossier_filters
from referentiel.models import Certification
from tests.factories.accounts import StaffFactory
from tests.factories.jurys import JurySessionFactory
from tests.factories.referentiel import CertificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/dossiers/"


@pytest.fixture(autouse=True)
def no_card_kept():
    dossier_filters._cards.clear()
    yield
    dossier_filters._cards.clear()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _card(response):
    html = response.content.decode()
    return re.search(r'<form method="get".*?</form>', html, re.S).group(0)


def _fresh(data, filters_open):
    form = DossierFilterForm(data or None)
    form.is_valid()
    html = render_to_string(dossier_filters.TEMPLATE, {"form": form, "filters_open": filters_open})
    return re.search(r'<form method="get".*?</form>', html, re.S).group(0)


@pytest.mark.parametrize(
    "query, filters_open",
    [
        ("", False),
        ("page=2", False),
        ("state=validated", True),
        ("sort=numero", False),
        ("year=2025&sort=-candidat", True),
        ("state=inconnu", True),
        ("year=1990", True),
    ],
)
def test_kept_card_is_what_a_fresh_rendering_writes(staff_client, query, filters_open):
    first = _card(staff_client.get(f"{LIST_URL}?{query}"))
    assert len(dossier_filters._cards) == 1
    second = _card(staff_client.get(f"{LIST_URL}?{query}"))
    data = dict(pair.split("=") for pair in query.split("&")) if query else {}
    assert first == second == _fresh(data, filters_open)


def test_cards_differ_by_data(staff_client):
    plain = _card(staff_client.get(LIST_URL))
    validated = _card(staff_client.get(f"{LIST_URL}?state=validated"))
    assert '<option value="validated" selected>Validé</option>' in validated
    assert '<option value="validated">Validé</option>' in plain
    assert " show" in validated and " show" not in plain
    # Bootstrap's select style on the list's own select widget (FastSelect).
    for name in ["state", "certification", "session", "year", "sort"]:
        assert f'<select class="form-select" id="id_{name}" name="{name}">' in plain
    assert len(dossier_filters._cards) == 2


def test_invalid_value_marked_as_such(staff_client):
    card = _card(staff_client.get(f"{LIST_URL}?state=inconnu"))
    assert (
        '<select aria-describedby="id_state_error" aria-invalid="true" '
        'class="form-select is-invalid" id="id_state" name="state">'
    ) in card
    assert "is-invalid" not in _card(staff_client.get(f"{LIST_URL}?state=validated"))


def test_a_search_is_written_each_time_and_not_kept(staff_client):
    card = _card(staff_client.get(f"{LIST_URL}?q=Dupont%22%3E"))
    assert 'value="Dupont&quot;&gt;"' in card
    assert dossier_filters._cards == {}


def test_renamed_certification_shown_at_once(staff_client):
    certification = CertificationFactory(label="Conducteur d'appareils")
    assert "Conducteur d&#x27;appareils</option>" in _card(staff_client.get(LIST_URL))
    certification.label = "Pilote de ligne"
    certification.save()
    card = _card(staff_client.get(LIST_URL))
    assert "Pilote de ligne</option>" in card
    assert "Conducteur" not in card


def test_new_session_shown_at_once(staff_client):
    staff_client.get(LIST_URL)
    session = JurySessionFactory()
    card = _card(staff_client.get(LIST_URL))
    assert f'<option value="{session.pk}">Jury du {session.date:%d/%m/%Y}</option>' in card


def test_new_year_shown_at_once(client):
    staff = StaffFactory()
    with time_machine.travel("2026-12-31 12:00 +01:00", tick=False):
        client.force_login(staff)
        assert '<option value="2027">' not in _card(client.get(LIST_URL))
    with time_machine.travel("2027-01-01 09:00 +01:00", tick=False):
        client.force_login(staff)
        assert '<option value="2027">2027</option>' in _card(client.get(LIST_URL))


def test_all_forgotten_when_full(staff_client, monkeypatch):
    monkeypatch.setattr(dossier_filters, "KEPT", 2)
    for query in ["", "state=validated", "sort=numero"]:
        staff_client.get(f"{LIST_URL}?{query}")
    assert len(dossier_filters._cards) == 1


def test_forgotten_when_runserver_sees_a_template_change(staff_client):
    staff_client.get(LIST_URL)
    assert dossier_filters._cards
    file_changed.send(sender=None, file_path=Path("templates/dossiers/_filter_card.html"))
    assert dossier_filters._cards == {}


def test_choices_forgotten_again_once_the_change_is_committed(
    staff_client, django_capture_on_commit_callbacks
):
    """A page read between the change and its commit sets a version over the old rows: the
    commit forgets it again."""
    certification = CertificationFactory(label="Conducteur d'appareils")
    with django_capture_on_commit_callbacks(execute=True):
        certification.label = "Pilote de ligne"
        certification.save()
        # Read inside the transaction, as a concurrent page would before the commit.
        version = choices_version(Certification)
    assert choices_version(Certification) != version
    assert "Pilote de ligne</option>" in _card(staff_client.get(LIST_URL))
