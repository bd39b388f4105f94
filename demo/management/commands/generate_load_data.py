"""Bulk synthetic data for the benchmark: `generate_load_data --dossiers 100000`."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.demo import ALLOW_PRODUCTION_HELP, DEMO_PASSWORD, ensure_demo_allowed
from demo.load_data import generate


class Command(BaseCommand):
    help = (
        "Crée N dossiers synthétiques, avec leur historique complet (évaluations, invitations, "
        "inscriptions, décisions, documents délivrés), pour mesurer les performances."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--per-establishment", type=int, default=50)
        parser.add_argument("--allow-production", action="store_true", help=ALLOW_PRODUCTION_HELP)

    def handle(self, *args, dossiers, seed, per_establishment, allow_production, **options):
        ensure_demo_allowed(command="generate_load_data", allow_production=allow_production)
        if dossiers <= 0:
            raise CommandError("--dossiers doit être un entier positif.")
        if per_establishment <= 0:
            raise CommandError("--per-establishment doit être un entier positif.")
        start = time.perf_counter()
        counts = generate(
            dossiers=dossiers,
            seed=seed,
            per_establishment=per_establishment,
            progress=lambda made: self.stdout.write(f"{made} / {dossiers} dossiers"),
        )
        rows = sum(counts.values())
        elapsed = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"{dossiers} dossiers créés ({rows} lignes) en {elapsed:.1f} s "
                f"(mot de passe démo : {DEMO_PASSWORD})."
            )
        )
