"""Synthetic dossiers at scale for the benchmark (`generate_load_data`).

Each dossier gets what the application would have written on its way to its state, with dates
in the past and in order: history, assessment and its results, the workplace assessor's
invitation, jury registration, decision per competence, issued document, emails. Rows are
written with their final values (COPY on PostgreSQL), then the tables are analysed.
"""

import datetime
import random
from collections import defaultdict

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dossiers.enums import Civility, DiplomaLevel, DossierState, Transition
from dossiers.models import (
    Candidate,
    Dossier,
    DossierNumberSequence,
    DossierTransition,
    TransitionReason,
)
from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from evaluations.enums import INVITATION_VALIDITY_DAYS, ResultChoice
from evaluations.models import Assessment, CompetenceResult, WorkplaceAssessorInvitation
from jurys.enums import DocumentKind, Outcome, RegistrationEnd
from jurys.models import (
    CompetenceDecision,
    DocumentSeries,
    IssuedDocument,
    JuryDecision,
    SessionRegistration,
    new_verification_code,
)
from referentiel.models import Certification, TrainingScheme

from .bulk import BulkWriter
from .demo import seed_demo
from .load_actors import FIRST_NAMES, create_actors, declare_tables, surname

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
DECIDED = {DossierState.VALIDATED, DossierState.PARTIALLY_VALIDATED, DossierState.NOT_VALIDATED}
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
PLACES = [("Lyon", "69003"), ("Rouen", "76000"), ("Lille", "59000"), ("Nantes", "44000")]
POSITIONS = ["Opérateur de fabrication", "Conducteur d'installation", "Technicien", "Cariste"]
LEVELS = [DiplomaLevel.NONE, DiplomaLevel.LEVEL_3, DiplomaLevel.LEVEL_4, DiplomaLevel.LEVEL_5]


def declare_dossier_tables(writer):
    writer.table(
        Candidate,
        (
            "id establishment civility birth_name usage_name first_names birth_date "
            "birth_place birth_place_code email phone address postcode city "
            "highest_diploma_level declares_diploma position_held "
            "company_entry_date created_at"
        ),
    )
    writer.table(
        Dossier,
        (
            "id number establishment candidate certification option training_scheme "
            "provider assessor assessor_confirmed_at state origin created_by "
            "created_at updated_at submitted_at"
        ),
    )
    writer.table(
        DossierTransition,
        "id dossier source target transition actor at",
    )
    # Reasons sit beside the append-only history (anonymisation deletes them, never a history row).
    writer.table(TransitionReason, "transition text")
    writer.table(
        Assessment,
        (
            "id dossier assessor first_date last_date candidate_observations "
            "guide_scan guide_original_name guide_content_type guide_size guide_sha256 "
            "workplace_missing_reason created_at completed_at"
        ),
    )
    writer.table(
        CompetenceResult,
        "id assessment competence result comment workplace_observation updated_at",
    )
    writer.table(
        WorkplaceAssessorInvitation,
        (
            "id assessment name email function token_hash created_by sent_at "
            "expires_at general_observation observations_submitted_at "
            "reminder_sent_at revoked_at"
        ),
    )
    writer.table(
        SessionRegistration,
        "id session dossier registered_by registered_at ended_at end_kind end_reason",
    )
    writer.table(
        JuryDecision,
        (
            "id dossier session outcome motivation recorded_by recorded_at "
            "revoked_at revoked_by revoke_reason"
        ),
    )
    writer.table(
        CompetenceDecision,
        "id decision competence validated motivation carried",
    )
    writer.table(
        IssuedDocument,
        "id decision kind number verification_code issued_at",
    )
    writer.table(
        OutboxEmail,
        (
            "id recipient subject body_text body_html status contains_secret "
            "attempts last_error created_at sent_at"
        ),
    )


class Counters:
    """Year counters (dossier and document numbers), written back to their sequences at the end."""

    def __init__(self, model, **scope):
        self.model = model
        self.scope = scope
        self.values = dict(model.objects.filter(**scope).values_list("year", "last_value"))

    def next(self, year):
        self.values[year] = self.values.get(year, 0) + 1
        return self.values[year]

    def save(self):
        for year, value in self.values.items():
            self.model.objects.update_or_create(
                year=year, **self.scope, defaults={"last_value": value}
            )


def generate(*, dossiers, seed=2026, per_establishment=50, progress=None):
    """Create `dossiers` synthetic dossiers (and their world); returns {table: rows written}."""
    rng = random.Random(seed)
    if not Certification.objects.exists():
        call_command("loaddata", "referentiel", verbosity=0)
    users = seed_demo()
    now = timezone.now()
    certifications = list(Certification.objects.prefetch_related("competences"))
    writer = BulkWriter()
    declare_tables(writer)
    declare_dossier_tables(writer)
    with transaction.atomic():
        actors = create_actors(
            writer,
            rng=rng,
            now=now,
            establishments=max(1, -(-dossiers // per_establishment)),
            users=users,
            certifications=certifications,
        )
    builder = DossierBuilder(writer, actors, rng=rng, now=now, certifications=certifications)
    made = 0
    while made < dossiers:
        size = min(BATCH, dossiers - made)
        with transaction.atomic():
            for index in range(made, made + size):
                builder.dossier(index)
            writer.flush()
        made += size
        if progress:
            progress(made)
    builder.numbers.save()
    for counters in builder.documents.values():
        counters.save()
    writer.finish()
    return {model._meta.db_table: count for model, count in writer.counts.items()}


class DossierBuilder:
    def __init__(self, writer, actors, *, rng, now, certifications):
        self.w = writer
        self.actors = actors
        self.rng = rng
        self.now = now
        self.certifications = certifications
        self.competences = {c.pk: [x.pk for x in c.competences.all()] for c in certifications}
        self.schemes = list(TrainingScheme.objects.values_list("pk", flat=True))
        self.states, self.weights = zip(*STATE_WEIGHTS.items(), strict=True)
        self.numbers = Counters(DossierNumberSequence)
        # Parchemins and attestations have a number series each (jurys.DocumentSeries).
        self.documents = {kind: Counters(DocumentSeries, kind=kind) for kind in DocumentKind}
        self.emails = defaultdict(str)

    def _between(self, start, end):
        """A moment between two datetimes (`end` may not precede `start`)."""
        return start + (end - start) * self.rng.random()

    def dossier(self, index):
        rng, w, now = self.rng, self.w, self.now
        state = rng.choices(self.states, self.weights)[0]
        establishment, postcode, employer = self.actors.establishments[
            index % len(self.actors.establishments)
        ]
        certification = rng.choice(self.certifications).pk
        assessor, assessor_user = rng.choice(self.actors.assessors_by_certification[certification])
        # Dates, from the last step backwards so that every one lies in the past.
        steps = []  # (transition, target, actor, at, reason)
        session = registered_at = completed_at = submitted_at = None
        if state in DECIDED:
            session, session_date, deadline = rng.choice(self.actors.past_sessions)
            decided_at = datetime.datetime.combine(session_date, datetime.time(14), datetime.UTC)
            deadline_at = datetime.datetime.combine(deadline, datetime.time(18), datetime.UTC)
            completed_at = deadline_at - rng.randint(2, 40) * DAY
            registered_at = self._between(completed_at, deadline_at)
        elif state == DossierState.AWAITING_JURY:
            completed_at = now - rng.uniform(1, 120) * DAY
            if rng.random() < 0.7:
                session = rng.choice(self.actors.open_sessions)[0]
                registered_at = self._between(completed_at, now)
        if completed_at is not None:
            submitted_at = completed_at - rng.uniform(14, 120) * DAY
        elif state == DossierState.AWAITING_ASSESSMENT:
            submitted_at = now - rng.uniform(0.1, 150) * DAY
        if submitted_at is not None:
            created_at = submitted_at - rng.uniform(1, 60) * DAY
        else:
            created_at = now - rng.uniform(0.05, 200) * DAY
        returned_at = None
        if state == DossierState.REGISTERING and rng.random() < 0.15:
            submitted_at = self._between(created_at, created_at + (now - created_at) * 0.4)
            returned_at = self._between(submitted_at, submitted_at + (now - submitted_at) * 0.5)
        steps.append((Transition.CREATE, DossierState.REGISTERING, employer, created_at, ""))
        if submitted_at is not None:
            steps.append(
                (Transition.SUBMIT, DossierState.AWAITING_ASSESSMENT, employer, submitted_at, "")
            )
        if returned_at is not None:
            steps.append(
                (
                    Transition.RETURN_FOR_COMPLETION,
                    DossierState.REGISTERING,
                    assessor_user,
                    returned_at,
                    "Pièce justificative manquante.",
                )
            )
        if completed_at is not None:
            steps.append(
                (
                    Transition.COMPLETE_ASSESSMENT,
                    DossierState.AWAITING_JURY,
                    assessor_user,
                    completed_at,
                    "",
                )
            )
        decision_at = None
        if state in DECIDED:
            decision_at = decided_at + rng.uniform(0, 4) * HOUR
            jury_user = rng.choice(self.actors.jury_users)
            steps.append(
                (Transition.DECIDE, state, jury_user, decision_at, "Décision prise à l'unanimité.")
            )

        candidate = self._candidate(establishment, postcode, created_at)
        year = created_at.year
        pk = w.new_id(Dossier)
        confirmed = submitted_at if state != DossierState.REGISTERING else None
        has_assessor = state != DossierState.REGISTERING or returned_at or rng.random() < 0.7
        w.add(
            Dossier,
            (
                pk,
                f"CQP-{year}-{self.numbers.next(year):06d}",
                establishment,
                candidate,
                certification,
                None,
                rng.choice(self.schemes),
                rng.choice(self.actors.providers) if rng.random() < 0.8 else None,
                assessor if has_assessor else None,
                confirmed,
                state,
                None,
                employer,
                created_at,
                steps[-1][3],
                submitted_at,
            ),
        )
        source = ""
        for transition, target, actor, at, reason in steps:
            row = w.new_id(DossierTransition)
            w.add(DossierTransition, (row, pk, source, target, transition, actor, at))
            if reason:
                w.add(TransitionReason, (row, reason))
            source = target
        if submitted_at is not None:
            self._assessment(
                pk, state, assessor, assessor_user, certification, submitted_at, completed_at
            )
            self._email(
                f"evaluateur{assessor}@charge.test", "Nouveau dossier à évaluer", submitted_at
            )
        if session is not None:
            ended = decision_at
            w.add(
                SessionRegistration,
                (
                    w.new_id(SessionRegistration),
                    session,
                    pk,
                    employer,
                    registered_at,
                    ended,
                    RegistrationEnd.DECIDED if ended else "",
                    "Examiné par le jury" if ended else "",
                ),
            )
        if decision_at is not None:
            self._decision(pk, state, session, jury_user, certification, decision_at)
            self._email(f"employeur{establishment}@charge.test", "Décision du jury", decision_at)

    def _candidate(self, establishment, postcode, created_at):
        rng = self.rng
        pk = self.w.new_id(Candidate)
        woman = rng.random() < 0.5
        place, code = rng.choice(PLACES)
        self.w.add(
            Candidate,
            (
                pk,
                establishment,
                Civility.MADAME if woman else Civility.MONSIEUR,
                surname(rng),
                surname(rng) if woman and rng.random() < 0.2 else "",
                " ".join(rng.sample(FIRST_NAMES, rng.choice((1, 1, 2)))),
                datetime.date(rng.randint(1965, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                place,
                code,
                "",
                "",
                "1 rue des Tests",
                postcode,
                "Ville",
                rng.choice(LEVELS),
                False,
                rng.choice(POSITIONS),
                None,
                created_at,
            ),
        )
        return pk

    def _assessment(
        self, dossier, state, assessor, assessor_user, certification, opened_at, completed_at
    ):
        rng, w, now = self.rng, self.w, self.now
        pk = w.new_id(Assessment)
        done = completed_at is not None
        w.add(
            Assessment,
            (
                pk,
                dossier,
                assessor,
                (completed_at - 9 * DAY).date() if done else None,
                (completed_at - 8 * DAY).date() if done else None,
                "Le candidat souhaite progresser." if done else "",
                "",
                "",
                "",
                None,
                "",
                "",
                opened_at,
                completed_at,
            ),
        )
        competences = self.competences[certification]
        if state == DossierState.REGISTERING:
            assessed = 0
        elif done:
            assessed = len(competences)
        else:
            assessed = rng.randint(0, len(competences))
        failures = {
            DossierState.VALIDATED: 0,
            DossierState.PARTIALLY_VALIDATED: max(1, len(competences) // 3),
            DossierState.NOT_VALIDATED: len(competences),
        }.get(state, rng.choice((0, 0, 1)))
        updated = completed_at or now
        for number, competence in enumerate(competences):
            if number < assessed:
                acquired = number < len(competences) - failures
                result = ResultChoice.ACQUIRED if acquired else ResultChoice.NOT_ACQUIRED
                comment = "Compétence observée en situation de travail."
            else:
                result = comment = ""
            w.add(
                CompetenceResult,
                (w.new_id(CompetenceResult), pk, competence, result, comment, "", updated),
            )
        # The workplace assessor: invited for most assessments, answered when completed.
        if state == DossierState.REGISTERING or rng.random() > (0.9 if done else 0.6):
            return
        end = completed_at or now
        sent = self._between(opened_at, opened_at + (end - opened_at) * 0.4)
        answered = self._between(sent, end) if done or rng.random() < 0.4 else None
        invitation = w.new_id(WorkplaceAssessorInvitation)
        w.add(
            WorkplaceAssessorInvitation,
            (
                invitation,
                pk,
                "Marc Dubois",
                "marc.dubois@exemple.fr",
                "Chef d'équipe",
                f"{invitation:064x}",
                assessor_user,
                sent,
                sent + INVITATION_VALIDITY_DAYS * DAY,
                "Candidat impliqué et autonome." if answered else "",
                answered,
                None,
                None,
            ),
        )

    def _decision(self, dossier, state, session, jury_user, certification, at):
        w = self.w
        pk = w.new_id(JuryDecision)
        w.add(
            JuryDecision,
            (
                pk,
                dossier,
                session,
                state,
                "Décision prise à l'unanimité.",
                jury_user,
                at,
                None,
                None,
                "",
            ),
        )
        competences = self.competences[certification]
        failures = {
            DossierState.VALIDATED: 0,
            DossierState.PARTIALLY_VALIDATED: max(1, len(competences) // 3),
            DossierState.NOT_VALIDATED: len(competences),
        }[state]
        for number, competence in enumerate(competences):
            w.add(
                CompetenceDecision,
                (
                    w.new_id(CompetenceDecision),
                    pk,
                    competence,
                    number < len(competences) - failures,
                    "",
                    False,
                ),
            )
        if state == Outcome.NOT_VALIDATED:
            return
        kind = DocumentKind.CERTIFICATE if state == Outcome.VALIDATED else DocumentKind.ATTESTATION
        prefix = "P" if kind == DocumentKind.CERTIFICATE else "A"
        number = f"{prefix}-{at.year}-{self.documents[kind].next(at.year):05d}"
        code = new_verification_code()
        w.add(IssuedDocument, (w.new_id(IssuedDocument), pk, kind, number, code, at))

    def _email(self, recipient, subject, at):
        self.w.add(
            OutboxEmail,
            (
                self.w.new_id(OutboxEmail),
                recipient,
                f"[e-Certif] {subject}",
                f"{subject} : connectez-vous à e-Certif.",
                "",
                EmailStatus.SENT,
                False,
                1,
                "",
                at,
                at + datetime.timedelta(seconds=30),
            ),
        )
