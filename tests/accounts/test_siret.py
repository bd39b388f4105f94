"""Validation des SIRET/SIREN : module en Python pur, aucun accès à la base."""

import pytest
from django.core.exceptions import ValidationError

from ecertif.accounts.siret import (
    is_valid_siren,
    is_valid_siret,
    normalize_siret,
    validate_siret,
)

LENGTH = ("Le SIRET doit comporter exactement 14 chiffres.", "siret_invalid_length")
CHARACTERS = ("Le SIRET ne doit contenir que des chiffres.", "siret_invalid_characters")
CHECKSUM = (
    "Le SIRET n'est pas valide : la clé de contrôle est incorrecte.",
    "siret_invalid_checksum",
)

VALID_SIRETS = [
    "73282932000074",
    "55208131766522",
    "732 829 320 00074",
    "732\u00a0829\u00a0320\u00a000074",  # espaces insécables
    "732\u202f829\u202f320\u202f00074",  # espaces fines insécables
    " 73282932000074 ",
    "35600000000048",  # siège de La Poste : clé de Luhn
]

# Établissements de La Poste : somme des chiffres multiple de 5, clé de Luhn fausse.
LA_POSTE_VALID = ["35600000049837", "35600000051118", "356 000 000 49837"]
# Somme des chiffres non multiple de 5 ; 35600000000055 respecte pourtant la clé de Luhn.
LA_POSTE_INVALID = ["35600000049838", "35600000000055", "35600000059843"]

INVALID_SIRETS = [
    ("73282932000075", CHECKSUM),
    ("55208131766523", CHECKSUM),
    ("7328293200007", LENGTH),
    ("732829320000740", LENGTH),
    ("", LENGTH),
    ("   ", LENGTH),
    ("7328293200007A", CHARACTERS),
    ("732829320000AB7", CHARACTERS),
    ("732-829-320-00074", CHARACTERS),
    ("732.829.320.00074", CHARACTERS),
    ("7328293200007/", CHARACTERS),
    ("７３２８２９３２０００７４", CHARACTERS),  # chiffres pleine chasse
    *((siret, CHECKSUM) for siret in LA_POSTE_INVALID),
]


def _digit_sum(siret: str) -> int:
    return sum(int(c) for c in normalize_siret(siret))


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("732 829 320 00074", "73282932000074"),
        ("732\u00a0829\u00a0320\u00a000074", "73282932000074"),
        ("732\u202f829\u202f320\u202f00074", "73282932000074"),
        ("  73282932000074\t", "73282932000074"),
        ("73282932000074", "73282932000074"),
        ("732-829", "732-829"),
        ("", ""),
    ],
)
def test_normalize_siret_strips_whitespace_only(value, expected):
    assert normalize_siret(value) == expected


@pytest.mark.parametrize("value", VALID_SIRETS + LA_POSTE_VALID)
def test_validate_siret_valid_returns_none(value):
    assert validate_siret(value) is None


@pytest.mark.parametrize("value", VALID_SIRETS + LA_POSTE_VALID)
def test_is_valid_siret_valid_returns_true(value):
    assert is_valid_siret(value) is True


@pytest.mark.parametrize(("value", "error"), INVALID_SIRETS)
def test_validate_siret_invalid_raises_message_and_code(value, error):
    message, code = error
    with pytest.raises(ValidationError) as excinfo:
        validate_siret(value)
    assert excinfo.value.messages == [message]
    assert excinfo.value.code == code


@pytest.mark.parametrize(("value", "error"), INVALID_SIRETS)
def test_is_valid_siret_invalid_returns_false(value, error):
    assert is_valid_siret(value) is False


@pytest.mark.parametrize("value", LA_POSTE_VALID)
def test_la_poste_valid_fixtures_digit_sum_multiple_of_5_and_luhn_wrong(value):
    assert _digit_sum(value) % 5 == 0
    assert _luhn_sum(normalize_siret(value)) % 10 != 0


@pytest.mark.parametrize("value", LA_POSTE_INVALID)
def test_la_poste_invalid_fixtures_digit_sum_not_multiple_of_5(value):
    assert _digit_sum(value) % 5 != 0


def test_la_poste_invalid_fixture_luhn_valid_still_refused():
    assert _luhn_sum("35600000000055") % 10 == 0
    assert is_valid_siret("35600000000055") is False


def test_la_poste_head_office_luhn_valid_digit_sum_not_multiple_of_5():
    assert _luhn_sum("35600000000048") % 10 == 0
    assert _digit_sum("35600000000048") == 26
    assert is_valid_siret("35600000000048") is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("732829320", True),
        ("552081317", True),
        ("356000000", True),
        ("732 829 320", True),
        ("732829321", False),
        ("73282932", False),
        ("7328293200", False),
        ("73282932A", False),
        ("", False),
    ],
)
def test_is_valid_siren_table_returns_expected(value, expected):
    assert is_valid_siren(value) is expected


def test_siret_of_zeros_only_is_refused_although_luhn_accepts_it():
    with pytest.raises(ValidationError) as raised:
        validate_siret("000 000 000 00000")

    assert (raised.value.message, raised.value.code) == CHECKSUM
    assert is_valid_siren("000000000") is False
