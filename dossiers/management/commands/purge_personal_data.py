from django.conf import settings
from django.core.management.base import BaseCommand

from dossiers.privacy import anonymise_candidate, purgeable_candidates


class Command(BaseCommand):
    help = (
        "Anonymise les candidats dont les dossiers sont terminés depuis plus que la durée de "
        "conservation (RETENTION_YEARS) et supprime leurs fichiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien modifier.")
        parser.add_argument("--years", type=int, default=None)

    def handle(self, *args, dry_run, years, **options):
        years = years or settings.RETENTION_YEARS
        candidates = list(purgeable_candidates(retention_years=years))
        if dry_run:
            self.stdout.write(
                f"{len(candidates)} candidat(s) à anonymiser (au-delà de {years} ans)."
            )
            return
        files = sum(anonymise_candidate(candidate) for candidate in candidates)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(candidates)} candidat(s) anonymisé(s), {files} fichier(s) supprimé(s)."
            )
        )
