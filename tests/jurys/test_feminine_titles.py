"""Titles agree with the jury member (issue #12): « Nadia Roux, vice-présidente »."""

import pytest
from django.template.loader import render_to_string

from jurys.documents import _composition, _signatories
from jurys.enums import College
from tests.factories.accounts import StaffFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory

pytestmark = pytest.mark.django_db


def test_feminine_vice_president_on_documents():
    president = JuryMemberFactory()
    vice_president = JuryMemberFactory(college=College.EMPLOYEES, feminine=True)
    session = JurySessionFactory(
        president=president, vice_president=vice_president, members=[president, vice_president]
    )

    assert _signatories(session) == [
        ("Le président du jury", president),
        ("La vice-présidente du jury", vice_president),
    ]
    html = render_to_string(
        "documents/_composition.html", {"composition": _composition(session), "session": session}
    )
    assert "(président)" in html
    assert "(vice-présidente)" in html
    assert "(vice-président)" not in html


def test_session_page_badges_agree(client):
    president = JuryMemberFactory(feminine=True)
    vice_president = JuryMemberFactory(college=College.EMPLOYEES)
    session = JurySessionFactory(
        president=president, vice_president=vice_president, members=[president, vice_president]
    )
    client.force_login(StaffFactory())
    html = client.get(f"/jurys/sessions/{session.pk}/").content.decode()
    assert '<span class="badge text-bg-primary">Présidente</span>' in html
    assert '<span class="badge text-bg-info">Vice-président</span>' in html
