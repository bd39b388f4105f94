import datetime

from django.db import models


class ExportKind(models.TextChoices):
    DOSSIERS = "dossiers", "Liste des dossiers"
    SESSION = "session", "Résultats d'une session"
    STATISTICS = "statistics", "Tableau statistique"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "En file d'attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec"


# Still to be written: the job page keeps polling while the job is in one of these.
ACTIVE_STATUSES = {ExportStatus.QUEUED, ExportStatus.RUNNING}

# Bootstrap colour of each status badge.
STATUS_BADGES = {
    ExportStatus.QUEUED: "secondary",
    ExportStatus.RUNNING: "info",
    ExportStatus.DONE: "success",
    ExportStatus.FAILED: "danger",
}

# How long a finished file stays downloadable before the periodic task deletes it.
EXPORT_RETENTION = datetime.timedelta(days=7)
# A job still « running » this long after it started lost its worker: it is marked failed.
STALE_AFTER = datetime.timedelta(hours=2)
# The progress shown on the job page is written to the database every this many rows.
PROGRESS_EVERY = 500
# Rows fetched from the database per round trip by the dossier export.
CHUNK_SIZE = 2000

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The statistics filters passed through, as the statistics screen names them.
STATISTICS_FILTERS = ("year", "certification", "sector", "region")
