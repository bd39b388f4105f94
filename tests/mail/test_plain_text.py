import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_plain_text_email_keeps_apostrophes():
    text = render_to_string(
        "emails/dossier_returned.txt",
        {"reason": "Pièce d'identité & diplôme", "dossier": {"number": "CQP-1"}},
    )
    assert "Motif : Pièce d'identité & diplôme" in text
