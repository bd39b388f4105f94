"""Writing and purging the personal-data access log."""

import datetime
import ipaddress

from django.conf import settings
from django.utils import timezone

from ecertif import proxy

from .models import MIN_RETENTION_DAYS, AccessLog


def client_ip(request):
    """The real client address (trusted proxies counted, ecertif/proxy.py), or None."""
    address = proxy.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # "unknown": no address to record


def log_access(*, request, action, object_type, object_id, dossier_id=None, candidate_ids=()):
    """One row per read of personal data. Never the content, only what and who."""
    ids = sorted({int(pk) for pk in candidate_ids if pk is not None})
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        dossier_id=dossier_id,
        candidate_ids=f",{','.join(map(str, ids))}," if ids else "",
        ip=client_ip(request),
    )


def log_dossier_read(request, dossier, action, *, object_type="dossier", obj=None):
    """A read of one dossier's data (the page, its PDF, one of its files)."""
    return log_access(
        request=request,
        action=action,
        object_type=object_type,
        object_id=(obj or dossier).pk,
        dossier_id=dossier.pk,
        candidate_ids=[dossier.candidate_id],
    )


def access_log_for_candidate(candidate_id):
    return AccessLog.objects.filter(
        candidate_ids__contains=f",{int(candidate_id)},"
    ).select_related("actor")


def purge_access_log(*, now=None):
    """Deletes the rows older than ACCESS_LOG_RETENTION_DAYS; returns how many."""
    days = max(settings.ACCESS_LOG_RETENTION_DAYS, MIN_RETENTION_DAYS)
    limit = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = AccessLog.objects.filter(at__lt=limit).delete()
    return deleted
