"""Reporting deadlines (art. R.6113-17-2 Code du travail): every parchemin must reach the
Caisse des Dépôts within 3 months of its issue. Counted in the database."""

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from ecertif.accounts.groups import secretariat_users
from ecertif.mail.services import queue_email
from ecertif.notifications.services import notify_many
from jurys.enums import DocumentKind
from jurys.models import IssuedDocument

REPORTING_MONTHS = 3


def add_months(day, months):
    """The same day `months` later, or the month's last day (30 November + 3 → 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_for(issued_on):
    return add_months(issued_on, REPORTING_MONTHS)


def unreported():
    """Standing parchemins never sent to the Caisse des Dépôts."""
    return IssuedDocument.objects.filter(
        kind=DocumentKind.CERTIFICATE,
        decision__revoked_at__isnull=True,
        decision__accrochage_entries__isnull=True,
    )


@dataclass(frozen=True)
class ReportingStatus:
    due: int
    late: int
    next_deadline: datetime.date | None


def _first_late_day(today):
    """The first issue day still in time on `today`: documents issued before it are late."""
    day = add_months(today, -REPORTING_MONTHS) - datetime.timedelta(days=4)
    # Deadlines clamp to short months' ends: step to the first day whose deadline has not passed.
    while deadline_for(day) < today:
        day += datetime.timedelta(days=1)
    return day


def reporting_status(today=None):
    """How many parchemins wait to be reported, how many are late, and the next deadline."""
    today = today or timezone.localdate()
    boundary = timezone.make_aware(
        datetime.datetime.combine(_first_late_day(today), datetime.time())
    )
    pending = unreported()
    late = pending.filter(issued_at__lt=boundary).count()
    in_time = pending.filter(issued_at__gte=boundary)
    oldest = in_time.aggregate(first=Min("issued_at"))["first"]
    return ReportingStatus(
        due=late + in_time.count(),
        late=late,
        next_deadline=deadline_for(timezone.localtime(oldest).date()) if oldest else None,
    )


def send_reporting_reminder(*, today=None):
    """Monthly: the secretariat is told what waits to be reported (nothing waits: no email).
    Returns the number of people told."""
    status = reporting_status(today)
    if not status.due:
        return 0
    link = reverse("certificates:accrochage")
    text = (
        f"Caisse des Dépôts : {status.due} parchemin(s) à déclarer, dont {status.late} en retard."
    )
    recipients = list(secretariat_users())
    with transaction.atomic():
        notify_many(recipients=recipients, text=text, link=link)
        for user in recipients:
            queue_email(
                to=user.email,
                subject=f"[e-Certif] {status.due} parchemin(s) à déclarer à la Caisse des Dépôts",
                template="reporting_reminder",
                context={"status": status, "link": link, "user": user},
            )
    return len(recipients)
