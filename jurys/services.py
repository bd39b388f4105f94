"""Jury sessions, registrations, decisions, revocations, capitalisation and document numbers."""

import datetime

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from dossiers import workflow
from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError
from dossiers.models import Dossier
from dossiers.rules import is_employer_of
from dossiers.services import next_dossier_number
from ecertif.accounts.groups import secretariat_users
from ecertif.mail.services import queue_email
from ecertif.notifications.services import notify, notify_by_mail_too, notify_many
from ecertif.sequences import next_value
from evaluations.enums import ResultChoice
from evaluations.models import Assessment

from .enums import (
    SESSION_REMINDER_DAYS,
    College,
    DocumentKind,
    Outcome,
    RegistrationEnd,
    SessionStatus,
)
from .models import (
    CarriedCompetence,
    CompetenceDecision,
    DocumentSeries,
    IssuedDocument,
    JuryDecision,
    JurySession,
    SessionRegistration,
)
from .rules import active_registration


class JuryError(DossierActionError):
    """A refused jury action, with its French message(s)."""


def _lock(dossier):
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _employers(dossier):
    return [m.user for m in dossier.establishment.memberships.select_related("user")]


# Sessions


def session_composition_missing(session):
    colleges = {m.college for m in session.members.filter(active=True)}
    missing = []
    if College.EMPLOYERS not in colleges:
        missing.append("Ajoutez au moins un membre du collège employeurs.")
    if College.EMPLOYEES not in colleges:
        missing.append("Ajoutez au moins un membre du collège salariés.")
    members = set(session.members.all())
    if session.president_id and session.president not in members:
        missing.append("Le président doit être membre de la session.")
    if session.vice_president_id and session.vice_president not in members:
        missing.append("Le vice-président doit être membre de la session.")
    return missing


@transaction.atomic
def session_open(*, session, by):
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if not rules.has_perm("jurys.manage_session", by, session):
        raise JuryError(NOT_ALLOWED)
    if session.status != SessionStatus.PLANNED:
        raise JuryError("Seule une session planifiée peut être ouverte aux inscriptions.")
    missing = session_composition_missing(session)
    if missing:
        raise JuryError(*missing)
    session.status = SessionStatus.OPEN
    session.save(update_fields=["status"])
    return session


def open_sessions(*, day=None):
    """Sessions an employer may register a dossier to today."""
    day = day or timezone.localdate()
    return JurySession.objects.filter(
        status=SessionStatus.OPEN, registration_deadline__gte=day
    ).order_by("date")


def session_is_registrable(session, day=None):
    day = day or timezone.localdate()
    return session.status == SessionStatus.OPEN and session.registration_deadline >= day


@transaction.atomic
def session_close(*, session, by):
    """Undecided dossiers are released back to « à inscrire »; the session is closed."""
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if not rules.has_perm("jurys.manage_session", by, session):
        raise JuryError(NOT_ALLOWED)
    if session.status == SessionStatus.CLOSED:
        raise JuryError("Cette session est déjà clôturée.")
    now = timezone.now()
    released = list(
        session.registrations.filter(ended_at__isnull=True)
        .select_for_update(of=("self",))
        .select_related("dossier__candidate", "dossier__establishment")
    )
    for registration in released:
        registration.ended_at = now
        registration.end_kind = RegistrationEnd.RELEASED
        registration.end_reason = "Non examiné : à inscrire à une autre session"
        registration.save(update_fields=["ended_at", "end_kind", "end_reason"])
        dossier = registration.dossier
        notify_many(
            recipients=_employers(dossier),
            text=(
                f"Le dossier {dossier.number} n'a pas été examiné par le jury du "
                f"{session.date:%d/%m/%Y} : inscrivez-le à une autre session."
            ),
            link=reverse("dossiers:detail", args=[dossier.pk]),
        )
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    return released


def sessions_refresh_statuses(*, day=None):
    """Daily: deadline passed → registrations closed; date passed → held; held with nothing
    left to decide → closed (SPEC: a session closes once every dossier is decided or released)."""
    day = day or timezone.localdate()
    JurySession.objects.filter(status=SessionStatus.OPEN, registration_deadline__lt=day).update(
        status=SessionStatus.REGISTRATION_CLOSED
    )
    JurySession.objects.filter(
        status__in=[SessionStatus.OPEN, SessionStatus.REGISTRATION_CLOSED], date__lt=day
    ).update(status=SessionStatus.HELD)
    waiting = SessionRegistration.objects.filter(session=OuterRef("pk"), ended_at__isnull=True)
    closable = JurySession.objects.filter(status=SessionStatus.HELD).exclude(Exists(waiting))
    return closable.update(status=SessionStatus.CLOSED)


def _close_if_done(session, day=None):
    day = day or timezone.localdate()
    if (
        session.registration_deadline < day
        and session.date <= day
        and not session.registrations.filter(ended_at__isnull=True).exists()
    ):
        JurySession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)


# Registrations


@transaction.atomic
def registration_create(*, dossier, session, by):
    locked = _lock(dossier)
    if locked.state != DossierState.AWAITING_JURY:
        raise JuryError("Seul un dossier « En attente de jury » peut être inscrit à une session.")
    if not rules.has_perm("jurys.register_dossier", by, locked):
        if active_registration(locked) is not None:
            raise JuryError("Ce dossier est déjà inscrit à une session.")
        raise JuryError(NOT_ALLOWED)
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if not session_is_registrable(session):
        raise JuryError(
            "Cette session n'accepte plus d'inscriptions (date limite dépassée ou session "
            "fermée) : choisissez-en une autre."
        )
    registration = SessionRegistration.objects.create(
        session=session, dossier=locked, registered_by=by
    )
    notify_many(
        recipients=secretariat_users(),
        text=f"Dossier {locked.number} inscrit au jury du {session.date:%d/%m/%Y}",
        link=reverse("jurys:session", args=[session.pk]),
    )
    queue_email(
        to=settings.SECRETARIAT_EMAIL,
        subject=f"[e-Certif] Dossier {locked.number} inscrit au jury du {session.date:%d/%m/%Y}",
        template="dossier_registered",
        context={"dossier": locked, "session": session},
    )
    return registration


@transaction.atomic
def registration_withdraw(*, dossier, by):
    locked = _lock(dossier)
    registration = active_registration(locked)
    if registration is None:
        raise JuryError("Ce dossier n'est inscrit à aucune session.")
    if not rules.has_perm("jurys.withdraw_dossier", by, locked):
        if locked.state != DossierState.AWAITING_JURY or not is_employer_of(by, locked):
            raise JuryError(NOT_ALLOWED)
        if timezone.localdate() > registration.session.registration_deadline:
            raise JuryError(
                "La date limite d'inscription est passée : le retrait n'est plus possible. "
                "Contactez le secrétariat des CQP."
            )
        raise JuryError(NOT_ALLOWED)
    registration.ended_at = timezone.now()
    registration.end_kind = RegistrationEnd.WITHDRAWN
    registration.end_reason = "Retiré par l'employeur"
    registration.save(update_fields=["ended_at", "end_kind", "end_reason"])
    return registration


@transaction.atomic
def registration_move(*, dossier, session, by):
    """The secretariat moves a registered dossier to another session (deadline waived)."""
    locked = _lock(dossier)
    if not rules.has_perm("jurys.manage_session", by, locked):
        raise JuryError(NOT_ALLOWED)
    if locked.state != DossierState.AWAITING_JURY:
        raise JuryError(ALREADY_MOVED)
    current = active_registration(locked)
    if current is None:
        raise JuryError("Ce dossier n'est inscrit à aucune session.")
    if current.session_id == session.pk:
        raise JuryError("Le dossier est déjà inscrit à cette session.")
    if session.status == SessionStatus.CLOSED:
        raise JuryError("Impossible d'inscrire un dossier à une session clôturée.")
    current.ended_at = timezone.now()
    current.end_kind = RegistrationEnd.MOVED
    current.end_reason = f"Déplacé vers le jury du {session.date:%d/%m/%Y}"
    current.save(update_fields=["ended_at", "end_kind", "end_reason"])
    return SessionRegistration.objects.create(session=session, dossier=locked, registered_by=by)


# Decisions


def outcome_for(validated_flags):
    """All validated → validated; some → partially validated; none → not validated."""
    flags = list(validated_flags)
    if flags and all(flags):
        return Outcome.VALIDATED
    if any(flags):
        return Outcome.PARTIALLY_VALIDATED
    return Outcome.NOT_VALIDATED


def decision_rows(dossier, *, day=None):
    """[(competence, assessor result or None, carried CarriedCompetence or None)] in order.
    An acquisition past its validity is no longer carried: the jury decides it again."""
    day = day or timezone.localdate()
    carried = {
        c.competence_id: c for c in dossier.carried_competences.all() if c.valid_until >= day
    }
    assessment = Assessment.objects.filter(dossier=dossier).first()
    results = {}
    if assessment is not None:
        results = {r.competence_id: r for r in assessment.results.all()}
    return [
        (competence, results.get(competence.pk), carried.get(competence.pk))
        for competence in dossier.certification.competences.order_by("number")
    ]


def next_document_number(*, kind, year=None):
    """`P-<year>-<5 digits>` (parchemin) or `A-…` (attestation): one series per kind and per
    year, under a row lock, so a number is never given twice nor reused and has no gap."""
    year = year or timezone.localdate().year
    value = next_value(DocumentSeries, year=year, kind=kind)
    prefix = "P" if kind == DocumentKind.CERTIFICATE else "A"
    return f"{prefix}-{year}-{value:05d}"


def decide(*, dossier, by, competences, motivation=""):
    """Record the jury's decision. `competences`: {competence id: (validated, motivation)} for
    every competence not carried from an earlier decision."""
    motivation = motivation.strip()
    decided = {}

    def check(locked):
        errors, lines = [], []
        for competence, result, carried in decision_rows(locked):
            if carried is not None:
                lines.append((competence, True, "", True))
                continue
            if competence.pk not in competences:
                errors.append(f"Décidez de la compétence C{competence.number}.")
                continue
            validated, why = competences[competence.pk]
            assessor_says = result is not None and result.result == ResultChoice.ACQUIRED
            if (
                result is not None
                and result.result
                and validated != assessor_says
                and not (why or "").strip()
            ):
                errors.append(
                    f"Motivez la décision sur C{competence.number} : elle diffère du résultat "
                    "de l'évaluateur."
                )
            lines.append((competence, bool(validated), (why or "").strip(), False))
        if errors:
            raise JuryError(*errors)
        registration = (
            SessionRegistration.objects.select_for_update()
            .filter(pk=active_registration(locked).pk, ended_at__isnull=True)
            .first()
        )
        if registration is None:  # released by the session's closing meanwhile
            raise JuryError(ALREADY_MOVED)
        outcome = outcome_for(validated for _c, validated, _w, _k in lines)
        decided.update(lines=lines, registration=registration, outcome=outcome)
        return {"outcome": outcome}

    def effects(locked):
        registration, outcome = decided["registration"], decided["outcome"]
        decision = JuryDecision.objects.create(
            dossier=locked,
            session=registration.session,
            outcome=outcome,
            motivation=motivation,
            recorded_by=by,
        )
        CompetenceDecision.objects.bulk_create(
            CompetenceDecision(
                decision=decision,
                competence=competence,
                validated=validated,
                motivation=why,
                carried=carried_flag,
            )
            for competence, validated, why, carried_flag in decided["lines"]
        )
        registration.ended_at = timezone.now()
        registration.end_kind = RegistrationEnd.DECIDED
        registration.end_reason = "Examiné par le jury"
        registration.save(update_fields=["ended_at", "end_kind", "end_reason"])
        _close_if_done(registration.session)
        if outcome != Outcome.NOT_VALIDATED:
            kind = (
                DocumentKind.CERTIFICATE
                if outcome == Outcome.VALIDATED
                else DocumentKind.ATTESTATION
            )
            IssuedDocument.objects.create(
                decision=decision, kind=kind, number=next_document_number(kind=kind)
            )
        label = Outcome(outcome).label
        link = reverse("dossiers:detail", args=[locked.pk])
        notify_by_mail_too(
            recipients=[*_employers(locked), locked.assessor.user],
            text=f"Décision du jury pour le dossier {locked.number} : {label}.",
            link=link,
            subject=f"[e-Certif] Décision du jury — dossier {locked.number} : {label}",
            template="decision_recorded",
            context={"dossier": locked, "decision": decision, "link": link},
        )
        return decision

    return workflow.transition(
        dossier=dossier,
        name=Transition.DECIDE,
        by=by,
        reason=motivation,
        check=check,
        effects=effects,
        error=JuryError,
    )


def decision_revoke(*, dossier, by, reason):
    def effects(locked):
        decision = JuryDecision.objects.select_for_update().get(
            dossier=locked, revoked_at__isnull=True
        )
        decision.revoked_at = timezone.now()
        decision.revoked_by = by
        decision.revoke_reason = reason.strip()
        decision.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        return decision

    return workflow.transition(
        dossier=dossier,
        name=Transition.REVOKE_DECISION,
        by=by,
        reason=reason,
        effects=effects,
        error=JuryError,
    )


def assessment_reopen(*, dossier, by, reason):
    def effects(locked):
        Assessment.objects.filter(dossier=locked).update(completed_at=None)
        notify(
            recipient=locked.assessor.user,
            text=f"Évaluation du dossier {locked.number} rouverte : {reason.strip()[:120]}",
            link=reverse("evaluations:assessment", args=[locked.pk]),
        )

    return workflow.transition(
        dossier=dossier,
        name=Transition.REOPEN_ASSESSMENT,
        by=by,
        reason=reason,
        effects=effects,
        error=JuryError,
    )


# Capitalisation


def carried_for(dossier, *, day=None):
    """Competences validated by the dossier's standing decision and still acquired on `day`."""
    day = day or timezone.localdate()
    decision = dossier.decisions.filter(revoked_at__isnull=True).first()
    if decision is None:
        return []
    years = dossier.certification.capitalisation_years
    default_end = _add_years(timezone.localtime(decision.recorded_at).date(), years)
    previous = {c.competence_id: c.valid_until for c in dossier.carried_competences.all()}
    carried = []
    for line in decision.competences.filter(validated=True).select_related("competence"):
        valid_until = previous.get(line.competence_id, default_end) if line.carried else default_end
        if valid_until >= day:
            carried.append((line.competence, valid_until, decision))
    return carried


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def represent_candidate(*, dossier, by):
    """« Représenter le candidat »: a new dossier for the missing competences only."""
    dossier = _lock(dossier)
    if dossier.state != DossierState.PARTIALLY_VALIDATED:
        raise JuryError("Seul un dossier « Partiel » permet de représenter le candidat.")
    if not rules.has_perm("dossiers.duplicate_dossier", by, dossier):
        raise JuryError(NOT_ALLOWED)
    already = (
        Dossier.objects.filter(
            origin=dossier,
            carried_competences__source_decision__dossier=dossier,
            carried_competences__source_decision__revoked_at__isnull=True,
        )
        .values_list("number", flat=True)
        .first()
    )
    if already:
        raise JuryError(f"Le candidat est déjà représenté : dossier {already}.")
    carried = carried_for(dossier)
    new = Dossier.objects.create(
        number=next_dossier_number(),
        establishment=dossier.establishment,
        candidate=dossier.candidate,
        certification=dossier.certification,
        option=dossier.option,
        training_scheme=dossier.training_scheme,
        provider=dossier.provider,
        assessor=dossier.assessor,
        origin=dossier,
        created_by=by,
    )
    CarriedCompetence.objects.bulk_create(
        CarriedCompetence(
            dossier=new, competence=competence, source_decision=decision, valid_until=valid_until
        )
        for competence, valid_until, decision in carried
    )
    workflow.record(
        dossier=new,
        transition=Transition.CREATE,
        by=by,
        reason=(
            f"Représentation du candidat après le dossier {dossier.number} "
            f"({len(carried)} compétence(s) acquise(s) reportée(s))"
        ),
    )
    return new


# Reminders


def send_session_reminders(*, day=None):
    """Each member of a session held in 7 days gets one email with its number of dossiers."""
    day = day or timezone.localdate()
    target = day + datetime.timedelta(days=SESSION_REMINDER_DAYS)
    count = 0
    for session in JurySession.objects.filter(date=target, reminder_sent_at__isnull=True).exclude(
        status=SessionStatus.CLOSED
    ):
        with transaction.atomic():
            claimed = JurySession.objects.filter(
                pk=session.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            dossiers = session.registrations.filter(ended_at__isnull=True).count()
            link = reverse("jurys:session", args=[session.pk])
            for member in session.members.filter(active=True).select_related("user"):
                notify(
                    recipient=member.user,
                    text=f"Jury du {session.date:%d/%m/%Y} dans 7 jours : {dossiers} dossier(s).",
                    link=link,
                )
                queue_email(
                    to=member.user.email,
                    subject=f"[e-Certif] Jury du {session.date:%d/%m/%Y} : {dossiers} dossier(s)",
                    template="session_reminder",
                    context={"session": session, "member": member, "count": dossiers, "link": link},
                )
                count += 1
    return count
