"""Born abroad (issue #11 item 2): the employer ticks « Né(e) à l'étranger » and picks the
country from the official list; its INSEE code (99xxx) is stored for the CDC export."""

import pytest

from dossiers.forms import CODE_REQUIRED, COUNTRY_REQUIRED, UNKNOWN_COUNTRY
from dossiers.models import Candidate
from tests.dossiers.wizard.helpers import CANDIDATE, _step

ABROAD = {**CANDIDATE, "birth_place": "Casablanca", "birth_place_code": ""}


def test_a_country_of_the_list_is_stored_as_its_insee_code(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"), {**ABROAD, "born_abroad": "on", "birth_country": "99350"}
    )

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.birth_place, candidate.birth_place_code) == ("Casablanca", "99350")


def test_the_country_replaces_whatever_was_typed_as_a_commune_code(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"),
        {**ABROAD, "birth_place_code": "2A0", "born_abroad": "on", "birth_country": "99109"},
    )

    assert response.status_code == 302
    assert Candidate.objects.get().birth_place_code == "99109"


def test_an_unknown_country_is_refused_in_french(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"), {**ABROAD, "born_abroad": "on", "birth_country": "99999"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "birth_country": [
            "Ce pays ne figure pas dans la liste officielle des pays et territoires étrangers "
            "(INSEE) : choisissez-le dans la liste."
        ]
    }
    assert not Candidate.objects.exists()


def test_an_unknown_country_code_typed_as_commune_is_refused(employer_client, draft):
    response = employer_client.post(
        _step(draft, "candidat"), {**ABROAD, "birth_place_code": "99999"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "birth_place_code": [UNKNOWN_COUNTRY.format(code="99999")]
    }
    assert UNKNOWN_COUNTRY.format(code="99999") == (
        "Le code 99999 ne figure pas dans la liste officielle des pays et territoires étrangers "
        "(INSEE) : cochez « Né(e) à l'étranger » et choisissez le pays dans la liste."
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"born_abroad": "on", "birth_country": ""}, {"birth_country": [COUNTRY_REQUIRED]}),
        ({}, {"birth_place_code": [CODE_REQUIRED]}),
    ],
)
def test_a_birthplace_is_required_either_way(employer_client, draft, data, errors):
    response = employer_client.post(_step(draft, "candidat"), {**ABROAD, **data})

    assert response.status_code == 200
    assert response.context["form"].errors == errors


def test_the_page_offers_the_country_list_and_shows_the_stored_country(employer_client, draft):
    employer_client.post(
        _step(draft, "candidat"), {**ABROAD, "born_abroad": "on", "birth_country": "99352"}
    )

    page = employer_client.get(_step(draft, "candidat")).content.decode()

    assert '<legend class="fs-6 fw-semibold float-none w-auto px-1 mb-1">' in page
    assert "Naissance à l'étranger</legend>" in page
    assert '<label class="form-label" for="id_birth_country">' in page
    assert 'aria-describedby="id_birth_country_helptext"' in page
    assert '<option value="">— Choisissez le pays —</option>' in page
    assert '<option value="99352" selected>Algérie</option>' in page
    assert '<option value="99350">Maroc</option>' in page
    assert (
        '<input type="checkbox" name="born_abroad" class="form-check-input" '
        'aria-describedby="id_born_abroad_helptext" id="id_born_abroad" checked>'
    ) in page
    assert '<label class="form-check-label" for="id_born_abroad">Né(e) à l&#x27;étranger' in page
    # The commune's code field stays empty: the country is in its own field.
    assert '<input type="text" name="birth_place_code" maxlength="5"' in page
