"""The Caisse des Dépôts XML (« accrochage certificateurs », SPEC §13): which awards to report,
the file per the CDC schema, validated before it is offered, and the flow recorded.

A passage is identified by its document number (`idTechnique`). A decision is reported once;
it is sent again only when what would be sent changes (a corrected identity: a correction)
or when the decision is revoked (the same passage, its validity ended on the revocation day).
Attestations (partial decisions) are not reported: the CQPs' competences are not RNCP blocks.
"""

import hashlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import xmlschema
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dossiers.enums import Civility
from jurys.documents import verification_url
from jurys.enums import Outcome
from jurys.models import JuryDecision
from referentiel import communes, countries

from .enums import ACCESS_ROUTES, EntryReason
from .models import AccrochageEntry, AccrochageFlow

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_PATH = Path(__file__).parent / "data" / "cdc-accrochage-1.1.2.xsd"
ET.register_namespace("cpf", NAMESPACE)
ET.register_namespace("xsi", XSI)

# What the secretariat reads when the schema refuses an element.
FIELD_LABELS = {
    "nomNaissance": "nom de naissance",
    "nomUsage": "nom d'usage",
    "prenom1": "premier prénom",
    "prenom2": "deuxième prénom",
    "prenom3": "troisième prénom",
    "anneeNaissance": "année de naissance",
    "moisNaissance": "mois de naissance",
    "jourNaissance": "jour de naissance",
    "sexe": "civilité",
    "codeInsee": "code INSEE de la commune de naissance",
    "codePostal": "code postal de la commune de naissance",
    "libelleCommuneNaissance": "commune de naissance",
    "codePaysNaissance": "pays de naissance",
    "libelleOption": "option",
    "dateDebutValidite": "date de la décision du jury",
    "dateFinValidite": "date de révocation",
    "modaliteAcces": "dispositif de formation",
    "dateInscription": "date de création du dossier",
    "urlPreuve": "lien de vérification",
    "idTechnique": "numéro du parchemin",
}


class AccrochageError(Exception):
    """The file cannot be produced: French messages naming the dossier and the field."""

    def __init__(self, *messages):
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass
class Export:
    """What one export produced (`flow` None: nothing new to report)."""

    flow: AccrochageFlow | None
    passages: int = 0
    skipped_certifications: list[str] = field(default_factory=list)


@cache
def schema():
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def _q(name):
    return f"{{{NAMESPACE}}}{name}"


def _add(parent, name, value=None, *, nil=False):
    element = ET.SubElement(parent, _q(name))
    if nil:
        element.set(f"{{{XSI}}}nil", "true")
    elif value is not None:
        element.text = str(value)
    return element


def _bool(value):
    return "true" if value else "false"


def access_route(scheme):
    """The CDC `modaliteAcces` of a training scheme, or None (reported as unknown)."""
    return ACCESS_ROUTES.get(scheme.code) if scheme is not None else None


def _check_settings():
    id_client, id_contract = settings.ACCROCHAGE_ID_CLIENT, settings.ACCROCHAGE_ID_CONTRAT
    errors = []
    if len(id_client) != 8:
        errors.append(
            "Paramètre ACCROCHAGE_ID_CLIENT : le matricule (idClient) envoyé par la Caisse des "
            "Dépôts compte exactement 8 caractères."
        )
    if not 1 <= len(id_contract) <= 20:
        errors.append(
            "Paramètre ACCROCHAGE_ID_CONTRAT : le numéro de contrat (idContrat) envoyé par la "
            "Caisse des Dépôts compte de 1 à 20 caractères."
        )
    if errors:
        raise AccrochageError(*errors)
    return id_client, id_contract


def holder_errors(dossier):
    """French messages for what the CDC needs of the holder and is missing or malformed."""
    candidate = dossier.candidate
    where = f"Dossier {dossier.number}"
    if candidate is None:
        return [f"{where} : aucun candidat."]
    errors = []
    if not 1 <= len(candidate.birth_name.strip()) <= 60:
        errors.append(f"{where} : nom de naissance absent ou de plus de 60 caractères.")
    if len(candidate.usage_name.strip()) > 60:
        errors.append(f"{where} : nom d'usage de plus de 60 caractères.")
    first_names = candidate.first_names.split()
    if not first_names or any(len(name) > 60 for name in first_names[:3]):
        errors.append(f"{where} : prénoms absents ou un prénom de plus de 60 caractères.")
    if candidate.birth_date is None or not 1900 <= candidate.birth_date.year <= 2099:
        errors.append(f"{where} : date de naissance absente ou invalide.")
    if candidate.civility not in (Civility.MADAME, Civility.MONSIEUR):
        errors.append(f"{where} : civilité absente (elle donne le sexe déclaré).")
    code = candidate.birth_place_code.strip().upper()
    if len(code) != 5:
        errors.append(
            f"{where} : code de la commune de naissance absent (code postal ou INSEE, "
            "ou 99xxx pour un pays étranger)."
        )
    elif code.startswith("99") and countries.by_code(code) is None:
        errors.append(
            f"{where} : pays de naissance {code} absent de la liste officielle des pays et "
            "territoires étrangers (INSEE)."
        )
    elif not candidate.birth_place.strip() and code.startswith("99"):
        errors.append(f"{where} : commune de naissance à l'étranger sans son nom.")
    return errors


def _birthplace(titulaire, candidate):
    """Born abroad (INSEE country code 99xxx, from the official list): the CDC's 3-character
    country code (the INSEE code without « 99 ») and the INSEE country name, with the place's
    name; in France: the commune's INSEE code from the official list (a postcode recorded by
    an older dossier is resolved with the commune's name), else the postcode as recorded."""
    code = candidate.birth_place_code.strip().upper()
    place = candidate.birth_place.strip()[:60]
    commune = _add(titulaire, "codeCommuneNaissance")
    official = None if code.startswith("99") else communes.resolve(code, place)
    if code.startswith("99"):
        _add(_add(commune, "codePostalNaissance"), "codePostal", nil=True)
    elif official is not None:
        _add(_add(commune, "codeInseeNaissance"), "codeInsee", official.insee_code)
    else:
        _add(_add(commune, "codePostalNaissance"), "codePostal", code)
    if place:
        _add(titulaire, "libelleCommuneNaissance", place)
    country = countries.by_code(code) if code.startswith("99") else None
    if country is not None:
        _add(titulaire, "codePaysNaissance", country.cdc_code)
        _add(titulaire, "libellePaysNaissance", country.name[:60])


def passage_element(decision):
    """The `passageCertification` of a `validated` decision (revoked: validity ended)."""
    dossier = decision.dossier
    candidate = dossier.candidate
    document = decision.document
    passage = ET.Element(_q("passageCertification"))
    _add(passage, "idTechnique", document.number)
    _add(passage, "urlPreuve", verification_url(document))
    if dossier.option is not None:
        _add(passage, "libelleOption", dossier.option.label[:255])
    _add(passage, "obtentionCertification", "PAR_ADMISSION")
    _add(passage, "donneeCertifiee", _bool(True))
    _add(passage, "dateDebutValidite", decision.session.date.isoformat())
    if decision.revoked_at is not None:
        _add(passage, "dateFinValidite", timezone.localtime(decision.revoked_at).date())
    else:
        _add(passage, "dateFinValidite", nil=True)
    _add(passage, "presenceNiveauLangueEuro", _bool(False))
    _add(passage, "presenceNiveauNumeriqueEuro", _bool(False))
    _add(passage, "scoring", nil=True)
    _add(passage, "mentionValidee", nil=True)
    inscription = _add(passage, "modalitesInscription")
    route = access_route(dossier.training_scheme)
    _add(inscription, "modaliteAcces", route, nil=route is None)
    if route == "VAE":
        _add(inscription, "voieAccessVAE", "VAE_CLASSIQUE")
    _add(inscription, "initiativeInscription", "EMPLOYEUR")
    _add(inscription, "dateInscription", timezone.localtime(dossier.created_at).date())
    titulaire = _add(_add(passage, "identificationTitulaire"), "titulaire")
    _add(titulaire, "nomNaissance", candidate.birth_name.strip())
    usage = candidate.usage_name.strip()
    _add(titulaire, "nomUsage", usage or None, nil=not usage)
    first_names = candidate.first_names.split()
    for index, name in enumerate(first_names[:3], start=1):
        _add(titulaire, f"prenom{index}", name)
    _add(titulaire, "anneeNaissance", candidate.birth_date.year)
    _add(titulaire, "moisNaissance", candidate.birth_date.month)
    _add(titulaire, "jourNaissance", candidate.birth_date.day)
    _add(titulaire, "sexe", "F" if candidate.civility == Civility.MADAME else "M")
    _birthplace(titulaire, candidate)
    return passage


def fingerprint(passage):
    return hashlib.sha256(ET.tostring(passage, encoding="utf-8")).hexdigest()


def _flow_id(now):
    return f"ECERTIF-{timezone.localtime(now):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8].upper()}"


def _timestamp(now):
    """`2026-11-29T21:05:00+01:00`: the schema wants an offset, no `Z`, no fraction."""
    return timezone.localtime(now).replace(microsecond=0).isoformat()


def _candidates(period_start, period_end):
    """`validated` decisions to consider: awarded in the period, or already reported (for
    corrections and revocations), locked so that two exports cannot both report them."""
    reported = AccrochageEntry.objects.values("decision_id")
    queryset = (
        JuryDecision.objects.filter(outcome=Outcome.VALIDATED, document__isnull=False)
        .filter(
            (
                Q(session__date__gte=period_start, session__date__lte=period_end)
                & Q(revoked_at__isnull=True)
            )
            | Q(pk__in=reported)
        )
        .select_related(
            "document",
            "session",
            "dossier__candidate",
            "dossier__certification",
            "dossier__option",
            "dossier__training_scheme",
        )
        .order_by("dossier__certification__position", "document__number")
    )
    return list(queryset.select_for_update(of=("self",)))


def _last_entries(decisions):
    last = {}
    for entry in AccrochageEntry.objects.filter(decision__in=decisions).order_by("flow_id"):
        last[entry.decision_id] = entry
    return last


def _schema_errors(root, owners):
    messages = []
    for error in schema().iter_errors(ET.ElementTree(root)):
        element = getattr(error, "elem", None)
        dossier = owners.get(id(element))
        name = element.tag.split("}")[-1] if element is not None else ""
        label = FIELD_LABELS.get(name, name)
        where = f"Dossier {dossier.number}" if dossier else "Fichier"
        messages.append(
            f"{where} : champ « {label} » refusé par le schéma de la Caisse des Dépôts."
        )
    return list(dict.fromkeys(messages))


def accrochage_export(*, period_start, period_end, by=None, now=None):
    """Produce and record the flow of everything to report for the period, or raise
    AccrochageError (nothing recorded, no file). Returns `Export` (flow None: nothing new)."""
    if period_start > period_end:
        raise AccrochageError("La date de début de la période suit sa date de fin.")
    id_client, id_contract = _check_settings()
    now = now or timezone.now()
    with transaction.atomic():
        decisions = _candidates(period_start, period_end)
        last = _last_entries(decisions)
        errors, skipped, due = [], {}, []
        for decision in decisions:
            dossier = decision.dossier
            previous = last.get(decision.pk)
            if previous is None and decision.revoked_at is not None:
                continue  # never reported, revoked since: nothing to tell the CDC
            if not dossier.certification.register_code:
                skipped[dossier.certification.pk] = dossier.certification.label
                continue
            problems = holder_errors(dossier)
            if problems:
                errors += problems
                continue
            passage = passage_element(decision)
            print_ = fingerprint(passage)
            if previous is not None and previous.fingerprint == print_:
                continue
            if previous is None:
                reason = EntryReason.AWARD
            elif decision.revoked_at is not None and previous.reason != EntryReason.REVOCATION:
                reason = EntryReason.REVOCATION
            else:
                reason = EntryReason.CORRECTION
            due.append((decision, passage, print_, reason))
        if errors:
            raise AccrochageError(*errors)
        skipped_labels = sorted(skipped.values())
        if not due:
            return Export(flow=None, skipped_certifications=skipped_labels)
        flow_id = _flow_id(now)
        root, owners = _document(due, id_client, id_contract, now, flow_id)
        problems = _schema_errors(root, owners)
        if problems:
            raise AccrochageError(*problems)
        xml = serialize(root)
        flow = AccrochageFlow.objects.create(
            flow_id=flow_id,
            created_at=now,
            period_start=period_start,
            period_end=period_end,
            created_by=by,
            file_name=f"accrochage-{flow_id.lower()}.xml",
            xml=xml,
        )
        AccrochageEntry.objects.bulk_create(
            AccrochageEntry(
                flow=flow,
                decision=decision,
                id_technique=decision.document.number,
                reason=reason,
                fingerprint=print_,
            )
            for decision, _passage, print_, reason in due
        )
    return Export(flow=flow, passages=len(due), skipped_certifications=skipped_labels)


def _document(due, id_client, id_contract, now, flow_id):
    """The `flux` root: one `certification` per register code, its passages in order."""
    root = ET.Element(_q("flux"))
    _add(root, "idFlux", flow_id)
    _add(root, "horodatage", _timestamp(now))
    emetteur = _add(root, "emetteur")
    _add(emetteur, "idClient", id_client)
    certificateur = _add(_add(emetteur, "certificateurs"), "certificateur")
    _add(certificateur, "idClient", id_client)
    _add(certificateur, "idContrat", id_contract)
    certifications = _add(certificateur, "certifications")
    owners, groups = {}, {}
    for decision, passage, _print, _reason in due:
        certification = decision.dossier.certification
        if certification.register_code not in groups:
            element = _add(certifications, "certification")
            _add(element, "type", certification.register_type)
            _add(element, "code", certification.register_code)
            _add(element, "natureDeposant", "CERTIFICATEUR")
            groups[certification.register_code] = _add(element, "passageCertifications")
        groups[certification.register_code].append(passage)
        for element in passage.iter():
            owners[id(element)] = decision.dossier
    return root, owners


def serialize(root):
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
