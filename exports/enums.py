import datetime

from django.db import models


class ExportKind(models.TextChoices):
    DOSSIERS = "dossiers", "Liste des dossiers"
    SESSION = "session", "Résultats d'une session"
    STATISTICS = "statistics", "Tableau statistique"
    CERTIFICATES = "certificates", "Registre des certificats"
    ACCROCHAGE = "accrochage", "Déclaration à la Caisse des Dépôts (XML)"


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

# How long a finished file stays downloadable by default (setting EXPORT_RETENTION_DAYS).
EXPORT_RETENTION = datetime.timedelta(days=7)
# The progress shown on the job page is written to the database every this many rows.
PROGRESS_EVERY = 500
# Rows fetched from the database per round trip by the dossier export.
CHUNK_SIZE = 2000

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Files other than Excel: (extension, content type) per kind.
FILE_TYPES = {ExportKind.ACCROCHAGE: ("xml", "application/xml")}


def file_type(kind):
    """(extension, content type) of the files of an export kind."""
    return FILE_TYPES.get(kind, ("xlsx", XLSX_CONTENT_TYPE))


# The statistics filters passed through, as the statistics screen names them.
STATISTICS_FILTERS = ("year", "certification", "sector", "region")
