"""Demo data (SPEC §12): idempotent, every account shares the documented demo password."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from ecertif.accounts.groups import ensure_secretariat_group
from ecertif.accounts.models import EmployerMembership, Establishment
from evaluations.models import Accreditation, Assessor
from jurys.enums import College
from jurys.models import JuryMember
from referentiel.models import Certification

DEMO_PASSWORD = "demo-ecertif-2026"

ESTABLISHMENTS = [
    {
        "siret": "73282932000074",
        "name": "Chimie du Rhône SAS",
        "address": "12 quai Perrache",
        "postcode": "69002",
        "city": "Lyon",
        "idcc": "44",
    },
    {
        "siret": "55208131766522",
        "name": "Normandie Polymères",
        "address": "5 route du Port",
        "postcode": "76600",
        "city": "Le Havre",
        "idcc": "44",
    },
]

ACCOUNTS = {
    "secretariat": ("secretariat@demo.ecertif.fr", "Sophie", "Martin"),
    "employer": ("employeur@demo.ecertif.fr", "Émilie", "Durand"),
    "employer2": ("employeur2@demo.ecertif.fr", "Karim", "Benali"),
    "assessor": ("evaluateur@demo.ecertif.fr", "Jean", "Lefèvre"),
    "assessor2": ("evaluateur2@demo.ecertif.fr", "Claire", "Moreau"),
    "jury": ("jury@demo.ecertif.fr", "Bernard", "Petit"),
    "jury2": ("jury2@demo.ecertif.fr", "Nadia", "Roux"),
}

# Each assessor is accredited for a different set of certifications (by code).
ASSESSOR_SCOPES = {
    "assessor": ("CPNE-2024-001", "Cabinet Évaluation Chimie", 0, 8),
    "assessor2": ("CPNE-2024-002", "Compétences Industrie Conseil", 8, 16),
}


def _user(key, **extra):
    email, first_name, last_name = ACCOUNTS[key]
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed_demo(*, today=None):
    today = today or datetime.date.today()
    users = {"secretariat": _user("secretariat", is_staff=True, is_superuser=True)}
    users["secretariat"].groups.add(ensure_secretariat_group())
    for index, key in enumerate(["employer", "employer2"]):
        data = ESTABLISHMENTS[index]
        establishment, _ = Establishment.objects.get_or_create(
            siret=data["siret"], defaults={k: v for k, v in data.items() if k != "siret"}
        )
        users[key] = _user(key)
        EmployerMembership.objects.get_or_create(
            user=users[key], defaults={"establishment": establishment}
        )
    certifications = list(Certification.objects.order_by("position", "pk"))
    for key, (number, organisation, start, end) in ASSESSOR_SCOPES.items():
        users[key] = _user(key)
        assessor, _ = Assessor.objects.get_or_create(
            user=users[key],
            defaults={"accreditation_number": number, "organisation": organisation},
        )
        if not assessor.accreditations.exists():
            accreditation = Accreditation.objects.create(
                assessor=assessor,
                valid_from=today.replace(year=today.year - 1),
                valid_until=today.replace(year=today.year + 2),
            )
            accreditation.certifications.set(certifications[start:end])
    for key, college, organisation in [
        ("jury", College.EMPLOYERS, "France Chimie"),
        ("jury2", College.EMPLOYEES, "FCE-CFDT"),
    ]:
        users[key] = _user(key)
        JuryMember.objects.get_or_create(
            user=users[key], defaults={"college": college, "organisation": organisation}
        )
    return users
