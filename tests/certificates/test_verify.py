"""The public verification page `/verifier/<code>/` (SPEC §12, issue #11 item 6)."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jurys import services

NOINDEX = "noindex, nofollow, noarchive"


def _url(document):
    return f"/verifier/{document.verification_code}/"


def _definitions(response):
    """[(term, definition)] of the page's description list, whitespace collapsed."""

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.items, self.current = [], None

        def handle_starttag(self, tag, attrs):
            if tag in ("dt", "dd"):
                self.current = [tag, ""]

        def handle_endtag(self, tag):
            if self.current and tag == self.current[0]:
                self.items.append(" ".join(self.current[1].split()))
                self.current = None

        def handle_data(self, data):
            if self.current:
                self.current[1] += data

    parser = Parser()
    parser.feed(response.content.decode())
    return list(zip(parser.items[::2], parser.items[1::2], strict=True))


def test_verify_valid_parchemin_shows_only_what_proves_it(client, validated, session):
    document = validated.decisions.get().document

    response = client.get(_url(document))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == NOINDEX
    assert f'<meta name="robots" content="{NOINDEX}">' in response.content.decode()
    assert _definitions(response) == [
        ("Document", f"Parchemin n° {document.number}"),
        ("Titulaire", "Camille P."),
        ("Certification", "CQP « Conducteur d'appareils »"),
        ("Jury du", session.date.strftime("%d/%m/%Y")),
        ("Délivré le", timezone.localdate().strftime("%d/%m/%Y")),
        ("Statut", "valide"),
    ]
    content = response.content.decode()
    assert "Document valide" in content
    # Nothing more than the initial of the name, no birth date, no dossier.
    for private in ("Petit", "PETIT", "Marie", "12/04/1995", validated.number, "Lyon"):
        assert private not in content


def test_verify_attestation_says_its_kind(client, partial):
    document = partial.decisions.get().document

    response = client.get(_url(document))

    assert response.status_code == 200
    assert _definitions(response)[:2] == [
        ("Document", f"Attestation de compétences n° {document.number}"),
        ("Titulaire", "Louis M."),
    ]


def test_verify_revoked_document_says_revoked_with_its_date(client, validated, secretariat):
    document = validated.decisions.get().document
    services.decision_revoke(dossier=validated, by=secretariat, reason="Erreur de saisie")

    response = client.get(_url(document))

    assert response.status_code == 200
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert _definitions(response)[-1] == ("Statut", f"révoqué le {today}")
    assert f"Document révoqué</strong> le {today}" in response.content.decode()


def test_verify_unknown_code_is_404_with_the_same_queries(client, validated):
    document = validated.decisions.get().document
    with CaptureQueriesContext(connection) as known:
        assert client.get(_url(document)).status_code == 200
    with CaptureQueriesContext(connection) as unknown:
        response = client.get("/verifier/aaaaaaaaaaaaaaaaaaaa/")

    assert response.status_code == 404
    assert response["X-Robots-Tag"] == NOINDEX
    assert "Aucun document ne correspond à ce code." in response.content.decode()
    assert len(known.captured_queries) == len(unknown.captured_queries) == 1


def test_verify_by_number_finds_nothing(client, validated):
    # The sequential number is printed too: it must not open the page.
    document = validated.decisions.get().document

    assert client.get(f"/verifier/{document.number}/").status_code == 404


@pytest.mark.parametrize("logged_in", [False, True])
def test_verify_is_public(client, validated, secretariat, logged_in):
    if logged_in:
        client.force_login(secretariat)

    response = client.get(_url(validated.decisions.get().document))

    assert response.status_code == 200


def test_verify_100_requests_from_one_address_are_throttled(client, validated):
    url = _url(validated.decisions.get().document)

    statuses = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(100)]

    assert statuses == [200] * 20 + [429] * 80
    # Another address is not affected.
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_verify_throttled_unknown_codes_too(client, db):
    statuses = [client.get(f"/verifier/{i:020d}/").status_code for i in range(25)]

    assert statuses == [404] * 20 + [429] * 5
