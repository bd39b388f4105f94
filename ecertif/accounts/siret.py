"""Validation des numéros SIREN (9 chiffres) et SIRET (14 chiffres).

Le contrôle repose sur l'algorithme de Luhn, sauf pour les établissements de La Poste
(SIREN 356000000) : leur SIRET est valide quand la somme de ses 14 chiffres est un
multiple de 5. Le siège (35600000000048) fait exception et respecte la clé de Luhn.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

SIRET_LENGTH = 14
SIREN_LENGTH = 9

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"

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


def _luhn_is_valid(digits: str) -> bool:
    """Clé de Luhn : en partant de la droite, un chiffre sur deux est doublé."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


MESSAGE_ZERO_SIREN = "Ce SIRET n'existe pas : aucun numéro SIREN n'est 000 000 000."


def _siret_checksum_is_valid(siret: str) -> bool:
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE_SIRET:
        return sum(int(c) for c in siret) % 5 == 0
    return _luhn_is_valid(siret)


def validate_siret(value: str) -> None:
    """Validateur Django : lève ``ValidationError`` si le SIRET (normalisé) est invalide."""
    siret = normalize_siret(value)
    if any(c not in _DIGITS for c in siret):
        raise ValidationError(MESSAGE_CHARACTERS, code=CODE_CHARACTERS)
    if len(siret) != SIRET_LENGTH:
        raise ValidationError(MESSAGE_LENGTH, code=CODE_LENGTH)
    # Zeros pass the Luhn key but are no company: no SIREN is 000 000 000.
    if siret[:SIREN_LENGTH] == "0" * SIREN_LENGTH:
        raise ValidationError(MESSAGE_ZERO_SIREN, code=CODE_CHECKSUM)
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
    return len(siren) == SIREN_LENGTH and _is_ascii_digits(siren) and _luhn_is_valid(siren)


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
