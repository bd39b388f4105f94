"""Bulk synthetic data for the benchmark: `generate_load_data --dossiers 100000`."""

import datetime
import random

import pgtrigger
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.demo import ALLOW_PRODUCTION_HELP, DEMO_PASSWORD, ensure_demo_allowed, seed_demo
from dossiers.enums import Civility, DiplomaLevel, DossierState, Transition
from dossiers.models import Candidate, Dossier, DossierNumberSequence, DossierTransition
from ecertif.accounts.models import EmployerMembership, Establishment
from evaluations.models import Assessor
from referentiel.models import Certification, TrainingScheme

BATCH = 5000
# How the synthetic dossiers spread over the states (weights).
STATE_WEIGHTS = {
    DossierState.REGISTERING: 10,
    DossierState.AWAITING_ASSESSMENT: 20,
    DossierState.AWAITING_JURY: 15,
    DossierState.VALIDATED: 35,
    DossierState.PARTIALLY_VALIDATED: 12,
    DossierState.NOT_VALIDATED: 8,
}
PATH = [
    (DossierState.REGISTERING, Transition.CREATE),
    (DossierState.AWAITING_ASSESSMENT, Transition.SUBMIT),
    (DossierState.AWAITING_JURY, Transition.COMPLETE_ASSESSMENT),
]
POSTCODES = ["69003", "76600", "13001", "59000", "67000", "33000", "44000", "31000", "75012"]


def luhn_siret(prefix):
    """Complete a 13-digit prefix with its Luhn key."""
    for last in range(10):
        candidate = f"{prefix}{last}"
        total = 0
        for index, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if index % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError(prefix)


class Command(BaseCommand):
    help = "Crée N dossiers synthétiques (avec leur historique) pour mesurer les performances."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--per-establishment", type=int, default=400)
        parser.add_argument("--allow-production", action="store_true", help=ALLOW_PRODUCTION_HELP)

    def handle(self, *args, dossiers, seed, per_establishment, allow_production, **options):
        ensure_demo_allowed(command="generate_load_data", allow_production=allow_production)
        if dossiers <= 0:
            raise CommandError("--dossiers doit être un entier positif.")
        rng = random.Random(seed)
        if not Certification.objects.exists():
            call_command("loaddata", "referentiel", verbosity=0)
        users = seed_demo()
        certifications = list(Certification.objects.all())
        schemes = list(TrainingScheme.objects.all())
        assessors = list(Assessor.objects.all())
        creator = users["employer"]
        year = timezone.localdate().year
        with transaction.atomic():
            sequence, _ = DossierNumberSequence.objects.select_for_update().get_or_create(year=year)
            first = sequence.last_value + 1
            sequence.last_value += dossiers
            sequence.save(update_fields=["last_value"])
        establishments = self._establishments(dossiers, per_establishment, rng)
        states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
        now = timezone.now()
        made = 0
        while made < dossiers:
            size = min(BATCH, dossiers - made)
            with transaction.atomic():
                candidates = Candidate.objects.bulk_create(
                    [
                        self._candidate(rng, establishments[(made + i) % len(establishments)])
                        for i in range(size)
                    ]
                )
                rows = []
                for i, candidate in enumerate(candidates):
                    created = now - datetime.timedelta(days=rng.randint(1, 3 * 365))
                    row = Dossier(
                        number=f"CQP-{year}-{first + made + i:06d}",
                        establishment_id=candidate.establishment_id,
                        candidate=candidate,
                        certification=rng.choice(certifications),
                        training_scheme=rng.choice(schemes),
                        assessor=rng.choice(assessors),
                        assessor_confirmed_at=created,
                        created_by=creator,
                    )
                    row.__dict__["state"] = rng.choices(states, weights)[0]
                    row._created = created
                    rows.append(row)
                Dossier.objects.bulk_create(rows)
                Dossier.objects.filter(pk__in=[r.pk for r in rows]).update(submitted_at=now)
                history = DossierTransition.objects.bulk_create(self._history(rows, rng))
                # auto_now dates are overwritten: creation spread over three years, steps after.
                for item in history:
                    item.at = item._at
                with pgtrigger.ignore("dossiers.DossierTransition:append_only_update"):
                    DossierTransition.objects.bulk_update(history, ["at"], batch_size=BATCH)
                for row in rows:
                    row.created_at = row._created
                Dossier.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
            made += size
            self.stdout.write(f"{made} / {dossiers} dossiers")
        self.stdout.write(
            self.style.SUCCESS(f"{dossiers} dossiers créés (mot de passe démo : {DEMO_PASSWORD}).")
        )

    def _establishments(self, dossiers, per_establishment, rng):
        count = max(1, -(-dossiers // per_establishment))
        existing = Establishment.objects.count()
        made = []
        for index in range(count):
            siret = luhn_siret(f"9{existing + index:08d}0001")
            postcode = rng.choice(POSTCODES)
            establishment, _ = Establishment.objects.get_or_create(
                siret=siret,
                defaults={
                    "name": f"Établissement de charge {existing + index}",
                    "address": "1 rue de l'Industrie",
                    "postcode": postcode,
                    "city": "Ville",
                },
            )
            made.append(establishment)
        # One employer account on the first one, to measure an employer's pages.
        user, created = get_user_model().objects.get_or_create(email="charge@demo.ecertif.fr")
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmployerMembership.objects.create(user=user, establishment=made[0])
        return made

    def _candidate(self, rng, establishment):
        return Candidate(
            establishment=establishment,
            civility=rng.choice([Civility.MADAME, Civility.MONSIEUR]),
            birth_name=f"Nom{rng.randint(1, 10**6)}",
            first_names="Prénom",
            birth_date=datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), 1),
            birth_place="Lyon",
            birth_place_code="69003",
            address="1 rue des Tests",
            postcode=establishment.postcode,
            city="Ville",
            highest_diploma_level=DiplomaLevel.LEVEL_4,
            position_held="Opérateur",
        )

    def _history(self, rows, rng):
        for row in rows:
            at = row._created
            steps = list(PATH)
            if row.state in (
                DossierState.VALIDATED,
                DossierState.PARTIALLY_VALIDATED,
                DossierState.NOT_VALIDATED,
            ):
                steps.append((row.state, Transition.DECIDE))
            source = ""
            for target, transition in steps:
                item = DossierTransition(
                    dossier=row, source=source, target=target, transition=transition
                )
                item._at = at
                yield item
                at += datetime.timedelta(days=rng.randint(5, 90))
                source = target
                if target == row.state:
                    break
