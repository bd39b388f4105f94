"""What waits for the secretariat (issue #12): its home page is a to-do list like the others'."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from dossiers.enums import DossierState
from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from evaluations.models import Accreditation
from jurys.enums import SessionStatus
from jurys.models import JurySession, SessionRegistration

LIST_SIZE = 10
# Accreditations ending within this many days are flagged for renewal.
ACCREDITATION_WARNING_DAYS = 60


def secretariat_todo(*, today=None):
    """{key: (rows, count)} for each list of the secretariat's home page."""
    today = today or timezone.localdate()
    active = Q(registrations__ended_at__isnull=True)

    registrations = SessionRegistration.objects.filter(
        ended_at__isnull=True,
        session__date__gte=today,
        dossier__state=DossierState.AWAITING_JURY,
    ).select_related("dossier__candidate", "dossier__establishment", "session")
    to_prepare = (
        JurySession.objects.filter(
            date__gte=today, status__in=[SessionStatus.PLANNED, SessionStatus.OPEN]
        )
        .annotate(registered=Count("registrations", filter=active))
        .select_related("president__user", "vice_president__user")
    )
    to_decide = (
        JurySession.objects.filter(date__lte=today)
        .exclude(status=SessionStatus.CLOSED)
        .annotate(
            undecided=Count(
                "registrations",
                filter=active & Q(registrations__dossier__state=DossierState.AWAITING_JURY),
            )
        )
        .filter(undecided__gt=0)
    )
    failed = OutboxEmail.objects.filter(status=EmailStatus.FAILED)
    expiring = Accreditation.objects.filter(
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=ACCREDITATION_WARNING_DAYS),
    ).select_related("assessor__user")
    return {
        "registrations": (
            list(registrations.order_by("-registered_at")[:LIST_SIZE]),
            registrations.count(),
        ),
        "to_prepare": (list(to_prepare.order_by("date")[:LIST_SIZE]), to_prepare.count()),
        "to_decide": (list(to_decide.order_by("date")[:LIST_SIZE]), to_decide.count()),
        "failed_emails": (list(failed.order_by("-created_at")[:LIST_SIZE]), failed.count()),
        "expiring": (list(expiring.order_by("valid_until")[:LIST_SIZE]), expiring.count()),
    }
