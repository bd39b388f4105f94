"""`manage.py refresh_communes [--source communes.json]`: rebuild the official data of the ground
floor (`ecertif/geodata/`: communes.csv, departments.csv, regions.csv) from the npm package
`@etalab/decoupage-administratif` (official COG data, Licence Ouverte).

Without `--source`, the package is installed with npm into a temporary folder. With it, the
package's `departements.json` and `regions.json` are read beside the given `communes.json`."""

import csv
import json
import re
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecertif import geodata
from referentiel.communes import COMMUNES_CSV, HEADER, KINDS

PACKAGE = geodata.PACKAGE
SOURCE_NOTE = geodata.SOURCE_NOTE
DEPARTMENTS_CSV = geodata.DEPARTMENTS_CSV
REGIONS_CSV = geodata.REGIONS_CSV
# Zones of the package kept: metropolitan France (Corsica included) and the five overseas
# departments and regions; the overseas collectivities (975, 977, 978, 98x) are neither.
ZONES = {"metro", "drom"}


def rows_from(data):
    """CSV rows of the communes kept, sorted by INSEE code then kind (duplicates removed)."""
    seen, rows = set(), []
    for item in data:
        kind = KINDS.get(item.get("type"))
        if kind is None:
            continue
        key = (item["code"], item["nom"], kind)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            [
                item["code"],
                item["nom"],
                " ".join(sorted(item.get("codesPostaux") or [])),
                item.get("departement", ""),
                kind,
            ]
        )
    order = list(KINDS.values())
    return sorted(rows, key=lambda row: (row[0], order.index(row[4]), row[1]))


def department_rows_from(data):
    """(code, name, region) of the departments, in COG order (2A and 2B after 19)."""
    rows = [[item["code"], item["nom"], item["region"]] for item in data if item["zone"] in ZONES]
    return sorted(rows, key=lambda row: geodata.department_sort_key(row[0]))


def region_rows_from(data):
    """(code, name) of the regions, by INSEE code."""
    return sorted([item["code"], item["nom"]] for item in data if item["zone"] in ZONES)


def _write(path, header, rows):
    """Write beside the target, then replace it: a reader never sees half a file."""
    temporary = path.with_suffix(".csv.part")
    with temporary.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return temporary


def _read_json(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Lecture impossible de {path} : {error}") from error


class Command(BaseCommand):
    help = (
        "Met à jour les données officielles (COG) : communes (lieu de naissance), "
        "départements et régions (codes postaux des établissements)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="communes.json du paquet "
            + PACKAGE
            + " (departements.json et regions.json à côté)",
        )
        parser.add_argument("--package-version", default="", help="version du paquet lu")

    def handle(self, *args, source=None, package_version="", **options):
        if source:
            communes = _read_json(source)
        else:
            communes, departments, regions, package_version = self._from_npm()
        rows = rows_from(communes)
        if len(rows) < 30000:
            raise CommandError(f"Liste incomplète ({len(rows)} communes) : rien n'est modifié.")
        if source:
            departments = _read_json(Path(source).parent / "departements.json")
            regions = _read_json(Path(source).parent / "regions.json")
        department_rows, region_rows = department_rows_from(departments), region_rows_from(regions)
        region_codes = {row[0] for row in region_rows}
        if len(department_rows) < 101 or len(region_rows) < 18:
            raise CommandError(
                f"Liste incomplète ({len(department_rows)} départements, {len(region_rows)} "
                "régions) : rien n'est modifié."
            )
        if orphans := sorted(row[0] for row in department_rows if row[2] not in region_codes):
            raise CommandError(
                f"Départements sans région connue ({', '.join(orphans)}) : rien n'est modifié."
            )
        written = [
            (_write(COMMUNES_CSV, HEADER, rows), COMMUNES_CSV),
            (_write(DEPARTMENTS_CSV, geodata.DEPARTMENTS_HEADER, department_rows), DEPARTMENTS_CSV),
            (_write(REGIONS_CSV, geodata.REGIONS_HEADER, region_rows), REGIONS_CSV),
        ]
        for temporary, path in written:
            temporary.replace(path)
        if package_version:
            note = SOURCE_NOTE.read_text(encoding="utf-8")
            note = re.sub(r"version `[^`]*`", f"version `{package_version}`", note, count=1)
            SOURCE_NOTE.write_text(note, encoding="utf-8")
        self.stdout.write(f"{len(rows)} communes écrites dans {COMMUNES_CSV.name}.")
        self.stdout.write(
            f"{len(department_rows)} départements et {len(region_rows)} régions écrits dans "
            f"{DEPARTMENTS_CSV.name} et {REGIONS_CSV.name}."
        )

    def _from_npm(self):
        with tempfile.TemporaryDirectory() as folder:
            try:
                subprocess.run(
                    ["npm", "install", "--prefix", folder, "--no-audit", "--no-fund", PACKAGE],
                    check=True,
                    capture_output=True,
                    timeout=600,
                )
            except (OSError, subprocess.SubprocessError) as error:
                raise CommandError(f"npm n'a pas pu installer {PACKAGE} : {error}") from error
            base = Path(folder) / "node_modules" / PACKAGE
            version = json.loads((base / "package.json").read_text(encoding="utf-8"))["version"]
            data = [
                _read_json(base / "data" / name)
                for name in ("communes.json", "departements.json", "regions.json")
            ]
        return (*data, version)
