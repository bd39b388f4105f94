"""The candidate's contact on the dossier page: « non renseigné » rather than « — · — »."""

import pytest

pytestmark = pytest.mark.django_db


def _contact(client, user, dossier):
    client.force_login(user)
    html = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    start = html.index('<dt class="col-sm-4">Contact</dt>')
    return html[start : html.index("</dd>", start) + 5]


def test_no_email_no_phone_reads_non_renseigne(client, owner, dossier):
    dossier.candidate.email = dossier.candidate.phone = ""
    dossier.candidate.save()

    contact = _contact(client, owner, dossier)

    assert "non renseigné (facultatif)" in contact
    assert "—" not in contact


def test_email_and_phone_joined_phone_alone_without_separator(client, owner, dossier):
    candidate = dossier.candidate
    assert f"{candidate.email} · 06 12 34 56 78</dd>" in _contact(client, owner, dossier)

    candidate.email = ""
    candidate.save()
    contact = _contact(client, owner, dossier)
    assert '<dd class="col-sm-8">06 12 34 56 78</dd>' in contact
