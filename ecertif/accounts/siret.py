"""Validation des numéros SIREN (9 chiffres) et SIRET (14 chiffres).

Les clés de contrôle (Luhn, et l'exception des établissements de La Poste) sont celles de
python-stdnum (`stdnum.fr.siret`, `stdnum.fr.siren`) ; ce module garde les messages en français
et refuse ce que stdnum laisserait passer d'une saisie (points, tirets, chiffres non ASCII).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

SIRET_LENGTH = 14
SIREN_LENGTH = 9

MESSAGE_LENGTH = "Le SIRET doit comporter exactement 14 chiffres."
MESSAGE_CHARACTERS = "Le SIRET ne doit contenir que des chiffres."
MESSAGE_CHECKSUM = "Le SIRET n'est pas valide : la clé de contrôle est incorrecte."

CODE_LENGTH = "siret_invalid_length"
CODE_CHARACTERS = "siret_invalid_characters"
CODE_CHECKSUM = "siret_invalid_checksum"

_DIGITS = frozenset("0123456789")


def normalize_siret(value: str) -> str:
    """Retire les espaces, y compris insécables (« 732 829 320 00074 » -> « 73282932000074 »)."""
    if value is None:
        return ""
    # str.split() sans argument coupe sur tout blanc Unicode : U+00A0, U+202F, tabulations…
    return "".join(str(value).split())


def _is_ascii_digits(value: str) -> bool:
    return bool(value) and all(c in _DIGITS for c in value)


def _siret_checksum_is_valid(siret: str) -> bool:
    # A number made of zeros only passes Luhn but designates no establishment.
    return siret.strip("0") != "" and stdnum_siret.is_valid(siret)


def validate_siret(value: str) -> None:
    """Validateur Django : lève ``ValidationError`` si le SIRET (normalisé) est invalide."""
    siret = normalize_siret(value)
    if any(c not in _DIGITS for c in siret):
        raise ValidationError(MESSAGE_CHARACTERS, code=CODE_CHARACTERS)
    if len(siret) != SIRET_LENGTH:
        raise ValidationError(MESSAGE_LENGTH, code=CODE_LENGTH)
    if not _siret_checksum_is_valid(siret):
        raise ValidationError(MESSAGE_CHECKSUM, code=CODE_CHECKSUM)


def is_valid_siret(value: str) -> bool:
    """``True`` si le SIRET (espaces tolérés) est valide."""
    try:
        validate_siret(value)
    except ValidationError:
        return False
    return True


def is_valid_siren(value: str) -> bool:
    """``True`` si le SIREN (9 chiffres, espaces tolérés) respecte la clé de Luhn."""
    siren = normalize_siret(value)
    return (
        len(siren) == SIREN_LENGTH
        and _is_ascii_digits(siren)
        and siren.strip("0") != ""
        and stdnum_siren.is_valid(siren)
    )


class SiretFormField(forms.CharField):
    """A SIRET as people type it (« 732 829 320 00074 »): spaces go before any check."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("validators", [validate_siret])
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_siret(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs
