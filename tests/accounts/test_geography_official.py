"""The postcode → department → region tables come from the official data of the ground floor
(`ecertif/geodata/`, COG via `@etalab/decoupage-administratif`), read lazily."""

import subprocess
import sys
from pathlib import Path

import pytest

from ecertif import geodata
from ecertif.accounts import geography
from ecertif.accounts.forms import AccountRequestForm

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN = "Ce code postal ne correspond à aucun département français."


def test_data_covers_101_departments_and_18_regions():
    departments = geodata.department_rows()
    regions = geodata.region_rows()

    assert len(departments) == 101
    assert len(regions) == 18
    assert {row["region"] for row in departments} == {row["code"] for row in regions}
    assert {
        row["code"]: (row["name"], row["region"]) for row in departments
    } == geography.DEPARTMENTS
    assert {row["code"]: row["name"] for row in regions} == geography.REGIONS


def test_every_department_has_postcodes_in_the_communes():
    resolved = {
        geography.department_for_postcode(postcode)
        for row in geodata.commune_rows()
        for postcode in row["postcodes"].split()
    }

    assert resolved - {None} == set(geography.DEPARTMENTS)


@pytest.mark.parametrize(
    ("postcode", "department", "region"),
    [
        ("20000", "2A", "94"),  # Ajaccio
        ("20200", "2B", "94"),  # Bastia
        ("97411", "974", "04"),  # Saint-Paul (La Réunion)
        ("97600", "976", "06"),  # Mamoudzou
        # Shared by communes of two departments: the one its first digits name.
        ("01200", "01", "84"),  # Ain and Haute-Savoie
        ("05110", "05", "93"),  # Hautes-Alpes and Alpes-de-Haute-Provence
        ("33220", "33", "75"),  # Gironde and Dordogne
        ("52100", "52", "44"),  # Haute-Marne and Marne
    ],
)
def test_tricky_postcodes_resolve(postcode, department, region):
    assert geography.department_for_postcode(postcode) == department
    assert geography.region_for_postcode(postcode) == region


@pytest.mark.parametrize(
    "postcode",
    [
        "97133",  # Saint-Barthélemy: a collectivity (977), no longer in Guadeloupe
        "97150",  # Saint-Martin (978)
        "98800",  # Nouvelle-Calédonie
    ],
)
def test_overseas_collectivity_postcode_is_not_a_department(postcode):
    assert geography.department_for_postcode(postcode) is None
    assert geography.region_for_postcode(postcode) is None


@pytest.mark.parametrize(
    ("postcode", "department"),
    [
        ("75700", "75"),  # CEDEX (Paris, administrations)
        ("92099", "92"),  # CEDEX (La Défense)
        ("13284", "13"),  # CEDEX (Marseille)
        ("75099", "75"),  # in the Paris range, given to no commune
    ],
)
def test_cedex_postcode_goes_to_the_department_of_its_first_digits(postcode, department):
    assert geography.department_for_postcode(postcode) == department


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["97133", "97199", "98800"])
def test_account_request_with_unknown_postcode_gets_the_existing_error(postcode):
    form = AccountRequestForm(
        data={
            "siret": "44306184100047",
            "company_name": "Chimie de l'Ouest",
            "address": "3 avenue des Usines",
            "postcode": postcode,
            "city": "Paris",
            "contact_first_name": "Lucie",
            "contact_last_name": "Bernard",
            "contact_email": "lucie.bernard@chimie-ouest.fr",
            "contact_phone": "02 40 00 00 00",
        }
    )

    assert not form.is_valid()
    assert form.errors == {"postcode": [UNKNOWN]}
    assert form.errors.as_data()["postcode"][0].code == "unknown_postcode"


def test_import_reads_nothing_and_each_table_is_read_once():
    """A fresh interpreter: importing the module opens no file; the first use of a table reads
    it, the next ones hit the cache."""
    script = """
from ecertif import geodata
from ecertif.accounts import geography as g
assert geodata.department_rows.cache_info().currsize == 0
assert geodata.region_rows.cache_info().currsize == 0
assert g._department_by_postcode.cache_info().currsize == 0
assert g.REGIONS is g.REGIONS and g.DEPARTMENT_CHOICES is g.DEPARTMENT_CHOICES
assert g._department_by_postcode.cache_info().currsize == 0
assert g.department_for_postcode("20000") == "2A"
assert g.department_for_postcode("20200") == "2B"
info = g._department_by_postcode.cache_info()
assert (info.misses, info.hits) == (1, 1), info
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (result.returncode, result.stderr, result.stdout) == (0, "", "ok\n")


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'POSTCODES'"):
        _ = geography.POSTCODES
