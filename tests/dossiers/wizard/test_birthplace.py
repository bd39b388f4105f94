"""The candidate's birthplace is checked against the official list of communes (COG) and
stored as its INSEE code and official name (issue #11 item 2)."""

import pytest

from dossiers.models import Candidate
from tests.dossiers.wizard.helpers import CANDIDATE, _step


@pytest.mark.parametrize(
    ("place", "code", "stored"),
    [
        ("ajaccio", "2A004", ("Ajaccio", "2A004")),
        ("Lyon", "69003", ("Lyon", "69123")),
        ("Albigny-sur-Saone", "69003", ("Albigny-sur-Saône", "69003")),
        ("Romans", "01400", ("Romans", "01328")),
        ("Les Abymes", "97139", ("Les Abymes", "97101")),
        ("Paris 15e arrondissement", "75015", ("Paris 15e Arrondissement", "75115")),
        ("Saint Etienne", "42000", ("Saint-Étienne", "42218")),
        ("Bastia", "2b033", ("Bastia", "2B033")),
        ("Alger (Algérie)", "99352", ("Alger (Algérie)", "99352")),
    ],
)
def test_birthplace_stored_as_official_insee_code(employer_client, draft, place, code, stored):
    response = employer_client.post(
        _step(draft, "candidat"), {**CANDIDATE, "birth_place": place, "birth_place_code": code}
    )

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.birth_place, candidate.birth_place_code) == stored


@pytest.mark.parametrize(
    ("place", "code", "message"),
    [
        (
            "Lyon",
            "00000",
            "Le code 00000 ne figure pas dans la liste officielle des communes (INSEE) : "
            "saisissez le code INSEE ou le code postal de la commune de naissance.",
        ),
        (
            "Marseile",
            "13001",
            "Le code postal 13001 couvre plusieurs communes (Marseille, Marseille 1er "
            "Arrondissement) : indiquez le nom exact de la commune de naissance ou son code "
            "INSEE.",
        ),
    ],
)
def test_birthplace_unknown_or_ambiguous_is_refused(employer_client, draft, place, code, message):
    response = employer_client.post(
        _step(draft, "candidat"), {**CANDIDATE, "birth_place": place, "birth_place_code": code}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"birth_place_code": [message]}
    assert not Candidate.objects.exists()


def test_birthplace_suggestions_come_from_the_official_list(employer_client, draft):
    page = employer_client.get(_step(draft, "candidat")).content.decode()
    assert 'list="communes-naissance"' in page
    assert 'hx-get="/referentiel/communes/"' in page
    assert '<datalist id="communes-naissance"></datalist>' in page

    response = employer_client.get("/referentiel/communes/", {"birth_place": "ajacc"})

    assert response.content.decode().strip() == (
        '<option value="Ajaccio">2A — code INSEE 2A004 — CP 20000, 20090, 20167</option>'
    )


def test_birthplace_suggestions_need_a_login(client, db):
    response = client.get("/referentiel/communes/", {"birth_place": "lyon"})

    assert response.status_code == 302
