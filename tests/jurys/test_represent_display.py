"""« Représenter le candidat » (issue #12): the original links to the new dossier instead of
offering the button again; the carried competences show on the new dossier's recap."""

import html

import pytest

from jurys import services

pytestmark = pytest.mark.django_db


def test_original_links_to_new_dossier_and_recap_shows_carried(client, partial, owner):
    client.force_login(owner)
    before = client.get(f"/dossiers/{partial.pk}/").content.decode()
    assert "Représenter le candidat</button>" in before

    new = services.represent_candidate(dossier=partial, by=owner)

    after = client.get(f"/dossiers/{partial.pk}/").content.decode()
    assert "Représenter le candidat</button>" not in after
    assert f'Candidat représenté : <a href="/dossiers/{new.pk}/">dossier {new.number}</a>.' in after
    recap = html.unescape(client.get(f"/dossiers/{new.pk}/etape/recapitulatif/").content.decode())
    assert "Compétences acquises lors d'un jury précédent (reportées, non réévaluées)" in recap
    carried = list(new.carried_competences.order_by("competence__number"))
    assert [c.competence.number for c in carried] == [1, 2]
    for row in carried:
        assert f"C{row.competence.number} — {row.competence.label}" in recap
