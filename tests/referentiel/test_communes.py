"""The shipped list of communes (COG, `@etalab/decoupage-administratif`) and its refresh."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from referentiel import communes
from referentiel.management.commands import refresh_communes


def test_shipped_list_covers_metropole_corsica_overseas_and_districts():
    codes = {commune.insee_code for commune in communes.communes()}

    assert len(codes) > 34000
    assert {"2A004", "2B033", "97101", "97411", "97611", "75115", "69383", "13201"} <= codes
    assert communes.by_insee_code("69123").postcodes[:3] == ("69001", "69002", "69003")
    assert communes.by_insee_code("2a004").name == "Ajaccio"


def test_search_finds_by_name_start_then_code():
    assert [c.label for c in communes.search("ajacc")] == ["Ajaccio (2A) — 2A004"]
    assert communes.search("97101")[0].name == "Les Abymes"
    assert communes.search("a") == []


def test_source_note_names_the_package_and_version():
    note = (communes.COMMUNES_CSV.parent / "SOURCE.md").read_text(encoding="utf-8")

    assert "`@etalab/decoupage-administratif` version `6.0.0`" in note


def _item(code, name, kind="commune-actuelle", postcodes=("01000",), department="01"):
    return {
        "code": code,
        "nom": name,
        "type": kind,
        "codesPostaux": list(postcodes),
        "departement": department,
    }


def test_refresh_rows_keep_the_kinds_and_sort():
    rows = refresh_communes.rows_from(
        [
            _item("75056", "Paris", postcodes=("75002", "75001"), department="75"),
            _item(
                "75115", "Paris 15e Arrondissement", "arrondissement-municipal", ("75015",), "75"
            ),
            _item("01001", "Ancienne", "commune-deleguee"),
            _item("01001", "Nouvelle"),
            _item("01001", "Nouvelle"),
            {"code": "99999", "nom": "Ignorée", "type": "autre"},
        ]
    )

    assert rows == [
        ["01001", "Nouvelle", "01000", "01", "commune"],
        ["01001", "Ancienne", "01000", "01", "commune déléguée"],
        ["75056", "Paris", "75001 75002", "75", "commune"],
        ["75115", "Paris 15e Arrondissement", "75015", "75", "arrondissement municipal"],
    ]


def test_refresh_command_writes_the_csv_and_the_version(tmp_path, monkeypatch):
    csv_path, note = tmp_path / "communes.csv", tmp_path / "SOURCE.md"
    note.write_text("paquet version `6.0.0` (fichier)", encoding="utf-8")
    monkeypatch.setattr(refresh_communes, "COMMUNES_CSV", csv_path)
    monkeypatch.setattr(refresh_communes, "SOURCE_NOTE", note)
    source = tmp_path / "communes.json"
    items = [_item(f"{index:05d}", f"Commune {index}") for index in range(1, 30002)]
    source.write_text(json.dumps(items), encoding="utf-8")
    out = StringIO()

    call_command(
        "refresh_communes", "--source", str(source), "--package-version", "6.1.0", stdout=out
    )

    with csv_path.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == communes.HEADER
    assert rows[1] == ["00001", "Commune 1", "01000", "01", "commune"]
    assert len(rows) == 30002
    assert note.read_text(encoding="utf-8") == "paquet version `6.1.0` (fichier)"
    assert out.getvalue() == "30001 communes écrites dans communes.csv.\n"


def test_refresh_command_refuses_a_truncated_list(tmp_path, monkeypatch):
    csv_path = tmp_path / "communes.csv"
    monkeypatch.setattr(refresh_communes, "COMMUNES_CSV", csv_path)
    source = tmp_path / "communes.json"
    source.write_text(json.dumps([_item("01001", "Seule")]), encoding="utf-8")

    with pytest.raises(CommandError, match="Liste incomplète"):
        call_command("refresh_communes", "--source", str(source))

    assert not csv_path.exists()
