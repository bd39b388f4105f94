import pytest
from django.core.management import CommandError, call_command

from dossiers.models import Dossier, DossierTransition


@pytest.fixture(autouse=True)
def _debug(settings):
    # The demo commands refuse to run without DEBUG (tests/deploy/test_demo_guards.py).
    settings.DEBUG = True


@pytest.mark.django_db
def test_generate_load_data_creates_dossiers_with_history(capsys):
    call_command("generate_load_data", dossiers=30, per_establishment=10)
    synthetic = Dossier.objects.filter(establishment__name__startswith="Établissement de charge")
    assert synthetic.count() == 30
    assert synthetic.values("establishment").distinct().count() == 3
    numbers = list(Dossier.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    # Every synthetic dossier has a history ending in its current state.
    for dossier in synthetic:
        last = DossierTransition.objects.filter(dossier=dossier).order_by("at", "pk").last()
        assert last.target == dossier.state
    assert "30 dossiers créés" in capsys.readouterr().out


@pytest.mark.django_db
def test_generate_load_data_refuses_zero():
    with pytest.raises(CommandError, match="--dossiers doit être un entier positif."):
        call_command("generate_load_data", dossiers=0)
