"""Régions et départements français : module en Python pur, aucun accès à la base."""

import pytest

from ecertif.accounts.geography import (
    DEPARTMENT_CHOICES,
    DEPARTMENTS,
    REGION_CHOICES,
    REGIONS,
    department_for_postcode,
    department_name,
    region_for_department,
    region_for_postcode,
    region_name,
)

EXPECTED_DEPARTMENT_CODES = (
    [f"{n:02d}" for n in range(1, 20)]
    + ["2A", "2B"]
    + [f"{n:02d}" for n in range(21, 96)]
    + ["971", "972", "973", "974", "976"]
)


def test_departments_count_is_101():
    assert len(DEPARTMENTS) == 101


def test_departments_codes_match_official_list():
    assert list(DEPARTMENTS) == EXPECTED_DEPARTMENT_CODES


def test_regions_count_is_18():
    assert len(REGIONS) == 18


def test_regions_codes_match_official_list():
    assert sorted(REGIONS) == [
        "01",
        "02",
        "03",
        "04",
        "06",
        "11",
        "24",
        "27",
        "28",
        "32",
        "44",
        "52",
        "53",
        "75",
        "76",
        "84",
        "93",
        "94",
    ]


def test_departments_region_exists_in_regions():
    assert {region for _, region in DEPARTMENTS.values()} <= set(REGIONS)


def test_regions_each_has_at_least_one_department():
    assert {region for _, region in DEPARTMENTS.values()} == set(REGIONS)


@pytest.mark.parametrize(
    ("region", "count"),
    [
        ("11", 8),
        ("24", 6),
        ("27", 8),
        ("28", 5),
        ("32", 5),
        ("44", 10),
        ("52", 5),
        ("53", 4),
        ("75", 12),
        ("76", 13),
        ("84", 12),
        ("93", 6),
        ("94", 2),
        ("01", 1),
        ("02", 1),
        ("03", 1),
        ("04", 1),
        ("06", 1),
    ],
)
def test_regions_department_count_matches(region, count):
    assert sum(1 for _, code in DEPARTMENTS.values() if code == region) == count


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("11", "Île-de-France"),
        ("24", "Centre-Val de Loire"),
        ("27", "Bourgogne-Franche-Comté"),
        ("28", "Normandie"),
        ("32", "Hauts-de-France"),
        ("44", "Grand Est"),
        ("52", "Pays de la Loire"),
        ("53", "Bretagne"),
        ("75", "Nouvelle-Aquitaine"),
        ("76", "Occitanie"),
        ("84", "Auvergne-Rhône-Alpes"),
        ("93", "Provence-Alpes-Côte d'Azur"),
        ("94", "Corse"),
        ("01", "Guadeloupe"),
        ("02", "Martinique"),
        ("03", "Guyane"),
        ("04", "La Réunion"),
        ("06", "Mayotte"),
    ],
)
def test_region_name_known_code_returns_label(code, name):
    assert region_name(code) == name


@pytest.mark.parametrize("code", ["00", "05", "99", "", "IDF"])
def test_region_name_unknown_code_returns_none(code):
    assert region_name(code) is None


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "Ain"),
        ("13", "Bouches-du-Rhône"),
        ("2A", "Corse-du-Sud"),
        ("2B", "Haute-Corse"),
        ("21", "Côte-d'Or"),
        ("22", "Côtes-d'Armor"),
        ("69", "Rhône"),
        ("75", "Paris"),
        ("90", "Territoire de Belfort"),
        ("95", "Val-d'Oise"),
        ("971", "Guadeloupe"),
        ("974", "La Réunion"),
        ("976", "Mayotte"),
    ],
)
def test_department_name_known_code_returns_label(code, name):
    assert department_name(code) == name


@pytest.mark.parametrize("code", ["20", "00", "96", "975", "2C", "1", ""])
def test_department_name_unknown_code_returns_none(code):
    assert department_name(code) is None


@pytest.mark.parametrize(
    ("department", "region"),
    [("75", "11"), ("69", "84"), ("13", "93"), ("2A", "94"), ("2B", "94"), ("976", "06")],
)
def test_region_for_department_known_code_returns_region(department, region):
    assert region_for_department(department) == region


@pytest.mark.parametrize("code", ["20", "00", "975", ""])
def test_region_for_department_unknown_code_returns_none(code):
    assert region_for_department(code) is None


@pytest.mark.parametrize(
    ("postcode", "department", "region"),
    [
        ("75001", "75", "11"),
        ("69003", "69", "84"),
        ("13001", "13", "93"),
        ("01000", "01", "84"),
        ("95000", "95", "11"),
        ("20000", "2A", "94"),
        ("20190", "2A", "94"),  # le plus haut code postal de Corse-du-Sud
        ("20199", "2A", "94"),  # attribué à aucune commune : CEDEX, découpage de La Poste
        ("20200", "2B", "94"),
        ("20290", "2B", "94"),
        ("20620", "2B", "94"),  # le plus haut code postal de Haute-Corse
        ("20999", "2B", "94"),
        ("97100", "971", "01"),
        ("97190", "971", "01"),  # le plus haut code postal de Guadeloupe
        ("97200", "972", "02"),
        ("97300", "973", "03"),
        ("97400", "974", "04"),
        ("97600", "976", "06"),
        ("59000", "59", "32"),
        ("67000", "67", "44"),
    ],
)
def test_department_for_postcode_known_returns_department_and_region(postcode, department, region):
    assert department_for_postcode(postcode) == department
    assert region_for_postcode(postcode) == region


@pytest.mark.parametrize(
    "postcode",
    [
        "97500",  # Saint-Pierre-et-Miquelon
        "97199",  # outre-mer : seuls les codes des communes du COG sont reconnus
        "97000",
        "97700",
        "97800",
        "97900",
        "98000",  # Monaco
        "98800",  # Nouvelle-Calédonie
        "00000",
        "00100",
        "96000",
        "99000",
        "7500",
        "750011",
        "ABCDE",
        "75 001",
        " 75001",
        "75001\n",
        "７５００１",  # chiffres pleine chasse
        "",
        None,
    ],
)
def test_department_for_postcode_unknown_returns_none(postcode):
    assert department_for_postcode(postcode) is None
    assert region_for_postcode(postcode) is None


def test_region_choices_sorted_by_label_ignoring_accents():
    assert [label for _, label in REGION_CHOICES] == [
        "Auvergne-Rhône-Alpes",
        "Bourgogne-Franche-Comté",
        "Bretagne",
        "Centre-Val de Loire",
        "Corse",
        "Grand Est",
        "Guadeloupe",
        "Guyane",
        "Hauts-de-France",
        "Île-de-France",
        "La Réunion",
        "Martinique",
        "Mayotte",
        "Normandie",
        "Nouvelle-Aquitaine",
        "Occitanie",
        "Pays de la Loire",
        "Provence-Alpes-Côte d'Azur",
    ]


def test_region_choices_pairs_code_with_name():
    assert dict(REGION_CHOICES) == REGIONS


def test_department_choices_count_is_101():
    assert len(DEPARTMENT_CHOICES) == 101


def test_department_choices_ordered_by_code_with_corsica_after_19():
    assert [code for code, _ in DEPARTMENT_CHOICES] == EXPECTED_DEPARTMENT_CODES


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("01", "01 — Ain"),
        ("2A", "2A — Corse-du-Sud"),
        ("69", "69 — Rhône"),
        ("974", "974 — La Réunion"),
    ],
)
def test_department_choices_label_is_code_dash_name(code, label):
    assert dict(DEPARTMENT_CHOICES)[code] == label
