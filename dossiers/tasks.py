import logging

from celery import shared_task
from django.conf import settings

from . import counts
from .privacy import anonymise_candidate, purgeable_candidates

logger = logging.getLogger(__name__)


@shared_task(name="dossiers.purge_personal_data", soft_time_limit=1740, time_limit=1800)
def purge_personal_data():
    """The retention purge (`purge_personal_data`) every night: anonymised candidates are not
    purgeable any more, so running it twice changes nothing."""
    if not settings.RETENTION_PURGE_ENABLED:
        logger.info("Purge RGPD désactivée (RETENTION_PURGE_ENABLED) : rien à faire")
        return {"candidates": 0, "files": 0}
    years = settings.RETENTION_YEARS
    candidates = list(purgeable_candidates(retention_years=years))
    files = sum(anonymise_candidate(candidate) for candidate in candidates)
    logger.info(
        "Purge RGPD (au-delà de %s ans) : %s candidat(s) anonymisé(s), %s fichier(s) supprimé(s)",
        years,
        len(candidates),
        files,
    )
    return {"candidates": len(candidates), "files": files}


@shared_task(name="dossiers.compact_counts", soft_time_limit=50, time_limit=60)
def compact_counts():
    """The rows appended by the counting triggers, folded into one per state."""
    counts.compact()
