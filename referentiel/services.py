"""Replacing a certification's competence list from a file (xlsx or csv: number, label)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from import_export.formats.base_formats import CSV, XLSX

from .models import Certification, Competence

NUMBER, LABEL, CERTIFICATION = "number", "label", "certification"
# The French titles of the competence export (ecertif/import_export_fr.py) name the same columns.
FRENCH_HEADERS = {"numéro": NUMBER, "intitulé": LABEL}
LABEL_MAX_LENGTH = Competence._meta.get_field("label").max_length


def read_competence_file(uploaded_file):
    """The rows of an uploaded xlsx or csv file as dictionaries keyed by column name."""
    name = uploaded_file.name.lower()
    content = uploaded_file.read()
    try:
        if name.endswith(".xlsx"):
            dataset = XLSX().create_dataset(content)
        elif name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            dataset = CSV().create_dataset(text)
        else:
            raise ValidationError("Le fichier doit être au format xlsx ou csv.")
    except ValidationError:
        raise
    except UnicodeDecodeError:
        raise ValidationError("Le fichier csv doit être encodé en UTF-8.") from None
    except Exception:  # openpyxl and tablib raise many kinds on a damaged file
        raise ValidationError(
            "Le fichier est illisible : est-ce bien un fichier xlsx ou csv ?"
        ) from None
    headers = [str(header or "").strip().lower() for header in dataset.headers or []]
    headers = [FRENCH_HEADERS.get(header, header) for header in headers]
    return headers, [dict(zip(headers, row, strict=False)) for row in dataset]


def _clean_number(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValueError("le numéro est vide.")
    if not text.isdigit() or int(text) < 1 or int(text) > 32767:
        raise ValueError(f"« {text} » n'est pas un numéro de compétence (entier positif).")
    return int(text)


def _clean_label(value):
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValueError("l'intitulé est vide.")
    if len(text) > LABEL_MAX_LENGTH:
        raise ValueError(f"l'intitulé dépasse {LABEL_MAX_LENGTH} caractères.")
    return text


def clean_competence_rows(certification, headers, rows):
    """[(number, label)] sorted by number, or a ValidationError listing every bad row and column
    (row 1 is the header line, so the first competence is on row 2)."""
    missing = [column for column in (NUMBER, LABEL) if column not in headers]
    if missing:
        names = ", ".join(f"« {column} »" for column in missing)
        raise ValidationError(f"Colonne(s) absente(s) du fichier : {names}.")
    errors, cleaned, seen = [], {}, {}
    for line, row in enumerate(rows, start=2):
        if all(value in (None, "") for value in row.values()):
            continue
        code = str(row.get(CERTIFICATION) or "").strip()
        if CERTIFICATION in headers and code and code != certification.code:
            errors.append(
                f"Ligne {line}, colonne « {CERTIFICATION} » : « {code} » n'est pas le code de "
                f"la certification « {certification.code} »."
            )
        number = label = None
        try:
            number = _clean_number(row.get(NUMBER))
        except ValueError as error:
            errors.append(f"Ligne {line}, colonne « {NUMBER} » : {error}")
        try:
            label = _clean_label(row.get(LABEL))
        except ValueError as error:
            errors.append(f"Ligne {line}, colonne « {LABEL} » : {error}")
        if number is not None and number in seen:
            errors.append(
                f"Ligne {line}, colonne « {NUMBER} » : le numéro {number} figure déjà "
                f"ligne {seen[number]}."
            )
        elif number is not None:
            seen[number] = line
            if label is not None:
                cleaned[number] = label
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError("Le fichier ne contient aucune compétence.")
    return sorted(cleaned.items())


@dataclass
class Replacement:
    added: list = field(default_factory=list)  # [(number, label)]
    changed: list = field(default_factory=list)  # [(competence, new label)]
    removed: list = field(default_factory=list)  # [competence]
    used: list = field(default_factory=list)  # removed competences a dossier already uses


def _protecting_relations():
    """The relations that keep a competence alive: assessment results, jury decisions,
    carried competences (found from the model, so referentiel imports no upper app)."""
    return [
        relation
        for relation in Competence._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and relation.on_delete in (models.PROTECT, models.RESTRICT)
    ]


def used_competence_ids(competences):
    ids = [competence.pk for competence in competences]
    used = set()
    for relation in _protecting_relations():
        used.update(
            relation.related_model._default_manager.filter(
                **{f"{relation.field.name}__in": ids}
            ).values_list(relation.field.attname, flat=True)
        )
    return used


def plan_replacement(certification, rows):
    current = {competence.number: competence for competence in certification.competences.all()}
    wanted = dict(rows)
    plan = Replacement()
    for number, label in rows:
        competence = current.get(number)
        if competence is None:
            plan.added.append((number, label))
        elif competence.label != label:
            plan.changed.append((competence, label))
    plan.removed = [current[number] for number in sorted(current) if number not in wanted]
    used = used_competence_ids(plan.removed)
    plan.used = [competence for competence in plan.removed if competence.pk in used]
    return plan


def used_message(used):
    names = ", ".join(str(competence) for competence in used)
    return (
        "Remplacement refusé : des dossiers utilisent déjà des compétences absentes du "
        f"fichier (résultats d'évaluation, décisions de jury ou compétences capitalisées) : "
        f"{names}. Aucune modification n'a été faite."
    )


@transaction.atomic
def replace_competences(certification, rows):
    """Makes the file's list the certification's official list, or changes nothing."""
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    plan = plan_replacement(certification, rows)
    if plan.used:
        raise ValidationError(used_message(plan.used))
    for competence in plan.removed:
        competence.delete()
    for competence, label in plan.changed:
        competence.label = label
        competence.full_clean()
        competence.save(update_fields=["label"])
    for number, label in plan.added:
        competence = Competence(certification=certification, number=number, label=label)
        competence.full_clean()
        competence.save()
    if certification.competences_provisional:
        certification.competences_provisional = False
        certification.save(update_fields=["competences_provisional"])
    return plan
