from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from demo.demo import (
    ACCOUNTS,
    ALLOW_PRODUCTION_HELP,
    DEMO_PASSWORD,
    ensure_demo_allowed,
    seed_demo,
)
from referentiel.models import Certification

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
ROLE_LABELS = {
    "secretariat": "Secrétariat des CQP (administrateur)",
    "employer": "Employeur — Chimie du Rhône SAS",
    "employer2": "Employeur — Normandie Polymères",
    "assessor": "Évaluateur habilité CPNE",
    "assessor2": "Évaluateur habilité CPNE",
    "jury": "Membre du jury (collège employeurs)",
    "jury2": "Membre du jury (collège salariés)",
}


class Command(BaseCommand):
    help = "Crée (ou complète) les données de démonstration. Sans effet si elles existent déjà."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help=ALLOW_PRODUCTION_HELP)

    def handle(self, *args, allow_production, **options):
        ensure_demo_allowed(command="seed_demo", allow_production=allow_production)
        if not Certification.objects.exists():
            call_command("loaddata", "referentiel", verbosity=0)
        # The demo's own emails (submissions, decisions…) are sent to memory, not printed.
        with override_settings(MAILERS={"default": {"BACKEND": LOCMEM}}):
            seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes : {DEMO_PASSWORD}")
        for key, (email, _first, _last) in ACCOUNTS.items():
            self.stdout.write(f"  {email:<32} {ROLE_LABELS[key]}")
