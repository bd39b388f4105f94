"""`manage.py refresh_communes [--source communes.json]`: rebuild `referentiel/data/communes.csv`
from the npm package `@etalab/decoupage-administratif` (official COG data, Licence Ouverte).

Without `--source`, the package is installed with npm into a temporary folder."""

import csv
import json
import re
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from referentiel.communes import COMMUNES_CSV, HEADER, KINDS

PACKAGE = "@etalab/decoupage-administratif"
SOURCE_NOTE = COMMUNES_CSV.parent / "SOURCE.md"


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


class Command(BaseCommand):
    help = "Met à jour la liste officielle des communes (COG) utilisée pour le lieu de naissance."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="communes.json du paquet " + PACKAGE)
        parser.add_argument("--package-version", default="", help="version du paquet lu")

    def handle(self, *args, source=None, package_version="", **options):
        if source:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        else:
            data, package_version = self._from_npm()
        rows = rows_from(data)
        if len(rows) < 30000:
            raise CommandError(f"Liste incomplète ({len(rows)} communes) : rien n'est modifié.")
        temporary = COMMUNES_CSV.with_suffix(".csv.part")
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        temporary.replace(COMMUNES_CSV)
        if package_version:
            note = SOURCE_NOTE.read_text(encoding="utf-8")
            note = re.sub(r"version `[^`]*`", f"version `{package_version}`", note, count=1)
            SOURCE_NOTE.write_text(note, encoding="utf-8")
        self.stdout.write(f"{len(rows)} communes écrites dans {COMMUNES_CSV.name}.")

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
            data = json.loads((base / "data" / "communes.json").read_text(encoding="utf-8"))
        return data, version
