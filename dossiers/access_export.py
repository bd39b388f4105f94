"""Right of access (RGPD Art. 15): a ZIP with every field of every row linked to a candidate,
found by walking the models' relations (so a new model or field is never forgotten), and the
candidate's files.
"""

import datetime
import decimal
import io
import json
import uuid
import zipfile

from simple_history.models import HistoricalChanges

from ecertif.audit.models import AccessLog

from .models import Candidate
from .privacy import candidate_data

# Apps whose rows describe a candidate's path; relations towards users, establishments or the
# référentiel are kept as ids (they describe others, not the candidate).
DOMAIN_APPS = {"dossiers", "evaluations", "jurys", "certificates"}
# Secrets never leave the database, even towards the person concerned.
SECRET_FIELDS = {"token_hash"}


def _json(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def _row(obj):
    return {
        field.name: _json(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }


def linked_relations(model):
    """The reverse relations the walk follows from `model` (also used by the tests)."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.related_model._meta.app_label in DOMAIN_APPS
        and relation.related_model is not model  # a copy of a dossier is another dossier
        and not issubclass(relation.related_model, HistoricalChanges)
        and not relation.many_to_many
    ]


def _walk(obj, tables, seen):
    key = (obj._meta.label_lower, obj.pk)
    if key in seen:
        return
    seen.add(key)
    tables.setdefault(obj._meta.label_lower, []).append(_row(obj))
    for relation in linked_relations(type(obj)):
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            try:
                related = [getattr(obj, accessor)]
            except relation.related_model.DoesNotExist:
                related = []
        else:
            related = getattr(obj, accessor).all()
        for child in related:
            _walk(child, tables, seen)


def _files(candidate):
    for dossier in candidate.dossiers.all():
        for attachment in dossier.attachments.all():
            yield (
                f"fichiers/{dossier.number}/{attachment.pk}-{attachment.original_name}",
                (attachment.file),
            )
        assessment = getattr(dossier, "assessment", None)
        if assessment is not None and assessment.guide_scan:
            name = assessment.guide_original_name or "outil-4"
            yield f"fichiers/{dossier.number}/outil-4-{name}", assessment.guide_scan


def candidate_tables(candidate):
    tables = {}
    _walk(candidate, tables, set())
    tables["dossiers.historicalcandidate"] = [
        _row(row) for row in Candidate.history.filter(id=candidate.pk).order_by("history_id")
    ]
    tables["audit.accesslog"] = [
        _row(row) for row in AccessLog.objects.filter(candidate_ids__contains=f",{candidate.pk},")
    ]
    return tables


def candidate_zip(candidate):
    """The ZIP's bytes: donnees.json (every table), resume.json (readable), then the files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(candidate_tables(candidate), ensure_ascii=False, indent=2, default=str),
        )
        archive.writestr(
            "resume.json", json.dumps(candidate_data(candidate), ensure_ascii=False, indent=2)
        )
        for name, field_file in _files(candidate):
            try:
                with field_file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except FileNotFoundError:
                archive.writestr(name + ".manquant.txt", "Fichier introuvable sur le stockage.")
    return buffer.getvalue()
