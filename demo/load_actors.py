"""The people and places of the synthetic data: establishments and their employers, accredited
assessors, training providers, jury members and a jury session a month (see `load_data`)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from dossiers.models import TrainingProvider
from ecertif.accounts import geography
from ecertif.accounts.geography import DEPARTMENTS
from ecertif.accounts.models import EmployerMembership, Establishment
from evaluations.models import Accreditation, Assessor
from jurys.enums import College, SessionStatus
from jurys.models import JuryMember, JurySession

from .demo import DEMO_PASSWORD

User = get_user_model()
AccreditationCertification = Accreditation.certifications.through
SessionMember = JurySession.members.through

ASSESSORS = 300
JURY_MEMBERS = 12
PROVIDERS = 200
# Sessions: one a month, from this many months back to this many ahead.
SESSIONS_BACK = 36
SESSIONS_AHEAD = 3
# fmt: off
POSTCODES = [
    "69003", "76600", "13001", "59000", "67000", "33000", "44000", "31000", "75012", "38000",
    "63000", "35000", "21000", "51100", "80000", "06000", "34000", "45000", "57000", "64000",
]
# fmt: on
CITIES = ["Lyon", "Le Havre", "Marseille", "Lille", "Strasbourg", "Bordeaux", "Nantes"]
# Syllables of the synthetic names: 40³ surnames, enough for selective searches.
# fmt: off
SYLLABLES = [
    "ber", "dan", "mar", "tin", "ro", "lam", "fon", "gi", "rard", "ca", "ron", "le", "fe",
    "vre", "mo", "rel", "du", "bois", "pe", "tit", "ri", "chard", "bla", "nc", "gar", "nier",
    "fa", "ure", "che", "val", "lier", "bru", "net", "cla", "mens", "ho", "gue", "vin", "sa",
    "lo",
]
# fmt: on
# fmt: off
FIRST_NAMES = [
    "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Thomas", "Inès", "Julien", "Sarah", "Antoine",
    "Camille", "Nicolas", "Emma", "Karim", "Nadia", "Rafael", "Marie", "Pierre", "Yasmine",
    "Louis", "Jade", "Mathis", "Lina", "Noah", "Zoé", "Adam", "Alice", "Sami", "Eva", "Paul",
]
# fmt: on


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


def surname(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


@dataclass
class Actors:
    establishments: list = field(default_factory=list)  # (id, postcode, employer user id)
    assessors_by_certification: dict = field(default_factory=dict)  # {cert id: [(id, user)]}
    providers: list = field(default_factory=list)
    jury_users: list = field(default_factory=list)
    past_sessions: list = field(default_factory=list)  # (id, date, deadline)
    open_sessions: list = field(default_factory=list)
    secretariat: int = 0


def _user(writer, password, now, email, first_name, last_name):
    user_id = writer.new_id(User)
    writer.add(
        User, (user_id, password, None, False, email, first_name, last_name, "", False, True, now)
    )
    return user_id


def declare_tables(writer):
    writer.table(
        User,
        (
            "id password last_login is_superuser email first_name last_name phone "
            "is_staff is_active date_joined"
        ),
    )
    writer.table(
        Establishment,
        "id siret name address postcode city department region idcc created_at",
    )
    writer.table(
        EmployerMembership,
        "id user establishment created_at",
    )
    writer.table(
        Assessor,
        (
            "id user accreditation_number organisation professional_email professional_phone "
            "departments listed_in_directory"
        ),
    )
    writer.table(
        Accreditation,
        "id assessor valid_from valid_until",
    )
    writer.table(
        AccreditationCertification,
        "id accreditation certification",
    )
    writer.table(
        TrainingProvider,
        "id name siret nda_number city created_at",
    )
    writer.table(
        JuryMember,
        "id user college organisation active feminine",
    )
    writer.table(
        JurySession,
        (
            "id date place video_link registration_deadline status president "
            "vice_president reminder_sent_at created_at"
        ),
    )
    writer.table(
        SessionMember,
        "id jurysession jurymember",
    )


def create_actors(writer, *, rng, now, establishments, users, certifications):
    """Write the actors (one flush) and return what the dossiers draw from."""
    actors = Actors(secretariat=users["secretariat"].pk)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    run = writer.new_id(Establishment)  # makes this run's emails and SIRETs unique
    charge_free = not User.objects.filter(email="charge@demo.ecertif.fr").exists()
    for index in range(establishments):
        pk = run + index
        postcode = rng.choice(POSTCODES)
        department = geography.department_for_postcode(postcode) or ""
        writer.add(
            Establishment,
            (
                pk,
                luhn_siret(f"9{pk:08d}0001"),
                f"Établissement de charge {pk}",
                "1 rue de l'Industrie",
                postcode,
                rng.choice(CITIES),
                department,
                geography.region_for_department(department) or "",
                "44",
                now,
            ),
        )
        # The first establishment's employer is the bench's employer account.
        email = (
            "charge@demo.ecertif.fr" if index == 0 and charge_free else f"employeur{pk}@charge.test"
        )
        user = _user(writer, password, now, email, rng.choice(FIRST_NAMES), surname(rng))
        writer.add(EmployerMembership, (writer.new_id(EmployerMembership), user, pk, now))
        actors.establishments.append((pk, postcode, user))
    writer.next_id[Establishment] = run + establishments

    pool = [(u.assessor_profile.pk, u.pk) for k, u in users.items() if k.startswith("assessor")]
    for assessor in Assessor.objects.prefetch_related("accreditations__certifications"):
        if (assessor.pk, assessor.user_id) not in pool:
            continue
        for accreditation in assessor.accreditations.all():
            for certification in accreditation.certifications.all():
                actors.assessors_by_certification.setdefault(certification.pk, []).append(
                    (assessor.pk, assessor.user_id)
                )
    today = now.date()
    department_codes = sorted(DEPARTMENTS)
    for index in range(ASSESSORS):
        user = _user(
            writer,
            password,
            now,
            f"evaluateur{run}-{index}@charge.test",
            rng.choice(FIRST_NAMES),
            surname(rng),
        )
        assessor = writer.new_id(Assessor)
        served = " ".join(sorted(rng.sample(department_codes, 3)))
        writer.add(
            Assessor,
            (
                assessor,
                user,
                f"CPNE-L{run}-{index:04d}",
                "Cabinet d'évaluation",
                f"evaluateur{run}-{index}@cabinet.test",
                "01 02 03 04 05",
                served,
                True,
            ),
        )
        accreditation = writer.new_id(Accreditation)
        writer.add(
            Accreditation,
            (
                accreditation,
                assessor,
                today - datetime.timedelta(days=1500),
                today + datetime.timedelta(days=700),
            ),
        )
        # Every certification has assessors: one round-robin, three at random.
        chosen = {certifications[index % len(certifications)].pk}
        chosen.update(c.pk for c in rng.sample(certifications, min(3, len(certifications))))
        for certification in chosen:
            writer.add(
                AccreditationCertification,
                (writer.new_id(AccreditationCertification), accreditation, certification),
            )
            actors.assessors_by_certification.setdefault(certification, []).append((assessor, user))
    for index in range(PROVIDERS):
        provider = writer.new_id(TrainingProvider)
        writer.add(
            TrainingProvider,
            (provider, f"Organisme de formation {run}-{index}", "", "", rng.choice(CITIES), now),
        )
        actors.providers.append(provider)
    _jury(writer, actors, rng=rng, now=now, password=password, run=run, users=users)
    writer.flush()
    return actors


def _jury(writer, actors, *, rng, now, password, run, users):
    members = [users[key].jury_member.pk for key in ("jury", "jury2")]
    actors.jury_users = [users["jury"].pk, users["jury2"].pk]
    for index in range(JURY_MEMBERS):
        user = _user(
            writer,
            password,
            now,
            f"jury{run}-{index}@charge.test",
            rng.choice(FIRST_NAMES),
            surname(rng),
        )
        member = writer.new_id(JuryMember)
        college = College.EMPLOYERS if index % 2 else College.EMPLOYEES
        writer.add(JuryMember, (member, user, college, "France Chimie", True, index % 3 == 0))
        members.append(member)
        actors.jury_users.append(user)
    today = now.date()
    first = today.replace(day=15)
    for offset in range(-SESSIONS_BACK, SESSIONS_AHEAD + 1):
        month = first.month - 1 + offset
        date = first.replace(year=first.year + month // 12, month=month % 12 + 1)
        deadline = date - datetime.timedelta(days=14)
        if date < today:
            status = SessionStatus.CLOSED
        elif deadline >= today:
            status = SessionStatus.OPEN
        else:
            status = SessionStatus.REGISTRATION_CLOSED
        session = writer.new_id(JurySession)
        chosen = rng.sample(members, 4)
        created = now - datetime.timedelta(days=max(0, (today - date).days + 60))
        writer.add(
            JurySession,
            (
                session,
                date,
                "France Chimie, Paris",
                "",
                deadline,
                status,
                chosen[0],
                chosen[1],
                None,
                created,
            ),
        )
        for member in chosen:
            writer.add(SessionMember, (writer.new_id(SessionMember), session, member))
        if status == SessionStatus.CLOSED:
            actors.past_sessions.append((session, date, deadline))
        elif status == SessionStatus.OPEN:
            actors.open_sessions.append((session, date, deadline))
