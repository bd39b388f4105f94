"""`manage.py export_accrochage --from 2026-01-01 --to 2026-03-31 --output flux.xml` (SPEC §12):
the Caisse des Dépôts XML of the period's awards, validated before it is written."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.accrochage import AccrochageError, accrochage_export


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide : {value} (format AAAA-MM-JJ attendu).") from error


class Command(BaseCommand):
    help = "Produit le fichier XML de déclaration des certifications à la Caisse des Dépôts."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--to", dest="end", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--output", required=True, help="fichier XML à écrire")

    def handle(self, *args, start, end, output, **options):
        try:
            result = accrochage_export(period_start=_day(start), period_end=_day(end))
        except AccrochageError as error:
            raise CommandError("\n".join(["Aucun fichier produit :", *error.messages])) from error
        for label in result.skipped_certifications:
            self.stderr.write(f"Non déclarable, code France compétences manquant : « {label} ».")
        if result.flow is None:
            self.stdout.write("Rien de nouveau à déclarer pour cette période : aucun fichier.")
            return
        path = Path(output)
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_text(result.flow.xml, encoding="utf-8")
        temporary.replace(path)
        self.stdout.write(
            f"Flux {result.flow.flow_id} : {result.passages} passage(s) écrit(s) dans {path}."
        )
