"""Official French administrative data (Code officiel géographique, INSEE) shipped as CSV files
beside this module, extracted from the npm package `@etalab/decoupage-administratif` (source and
version in SOURCE.md; `manage.py refresh_communes` rebuilds them). Pure Python, no Django.

Nothing is read at import. The small departments and regions files are read once per process;
the communes file (37 000 rows) is streamed to each reader, which keeps only what it needs,
cached on its side."""

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent
COMMUNES_CSV = DATA_DIR / "communes.csv"
DEPARTMENTS_CSV = DATA_DIR / "departments.csv"
REGIONS_CSV = DATA_DIR / "regions.csv"
COUNTRIES_CSV = DATA_DIR / "countries.csv"
SOURCE_NOTE = DATA_DIR / "SOURCE.md"
PACKAGE = "@etalab/decoupage-administratif"

COMMUNES_HEADER = ["insee_code", "name", "postcodes", "department", "kind"]
DEPARTMENTS_HEADER = ["code", "name", "region"]
REGIONS_HEADER = ["code", "name"]
COUNTRIES_HEADER = ["insee_code", "name", "iso2", "iso3", "name_fr", "territories"]


def department_sort_key(code):
    """COG order: 19, 2A, 2B, 21, …, 95, 971, …"""
    if code == "2A":
        return (20, 1)
    if code == "2B":
        return (20, 2)
    return (int(code), 0)


def _rows(path):
    with path.open(encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def commune_rows():
    """Rows of communes.csv as dicts (see COMMUNES_HEADER), streamed; `postcodes` is
    space-separated. Not cached here: each reader caches what it keeps."""
    return _rows(COMMUNES_CSV)


@cache
def department_rows():
    """The 101 departments (metropolitan, Corsica, overseas), in COG order."""
    return tuple(_rows(DEPARTMENTS_CSV))


@cache
def region_rows():
    """The 18 regions (13 metropolitan, 5 overseas), by INSEE code."""
    return tuple(_rows(REGIONS_CSV))


@cache
def country_rows():
    """Foreign countries and territories by INSEE code (99xxx), with their ISO 3166 codes
    where known; `territories` is « | »-separated. Source and version in SOURCE.md."""
    return tuple(_rows(COUNTRIES_CSV))
