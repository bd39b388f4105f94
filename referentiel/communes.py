"""The official list of French communes (COG, INSEE) shipped in `data/communes.csv`: INSEE
code, name, postcodes, department. Read once per process; `refresh_communes` rebuilds it."""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COMMUNES_CSV = Path(__file__).parent / "data" / "communes.csv"
HEADER = ["insee_code", "name", "postcodes", "department", "kind"]
# COG kinds kept: today's communes, Paris/Lyon/Marseille districts (birth certificates name
# them) and the former communes merged since (a birthplace keeps its old name).
KINDS = {
    "commune-actuelle": "commune",
    "arrondissement-municipal": "arrondissement municipal",
    "commune-deleguee": "commune déléguée",
    "commune-associee": "commune associée",
}


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    postcodes: tuple[str, ...]
    department: str
    kind: str

    @property
    def label(self):
        return f"{self.name} ({self.department}) — {self.insee_code}"


def normalized(name):
    """« Saint-Étienne » and « st etienne » compare equal: no accents, case, dashes, « st »."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = text.replace("-", " ").replace("'", " ").split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(word, word) for word in words)


@cache
def communes():
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as stream:
        return tuple(
            Commune(
                insee_code=row["insee_code"],
                name=row["name"],
                postcodes=tuple(row["postcodes"].split()),
                department=row["department"],
                kind=row["kind"],
            )
            for row in csv.DictReader(stream)
        )


@cache
def _by_code():
    found = {}
    for commune in communes():
        found.setdefault(commune.insee_code, commune)  # today's commune before a former one
    return found


@cache
def _by_postcode():
    found = {}
    for commune in communes():
        for postcode in commune.postcodes:
            found.setdefault(postcode, []).append(commune)
    return found


def by_insee_code(code):
    return _by_code().get((code or "").strip().upper())


def by_postcode(postcode):
    return list(_by_postcode().get((postcode or "").strip(), []))


def resolve(code, name):
    """The commune an INSEE code or a postcode designates, the name choosing between several
    (a postcode shared by communes, a postcode equal to another commune's INSEE code); None
    when the code is unknown or the name does not say which."""
    by_code = by_insee_code(code)
    others = [c for c in by_postcode(code) if c != by_code]
    options = ([by_code] if by_code else []) + others
    wanted = normalized(name or "")
    named = [commune for commune in options if normalized(commune.name) == wanted]
    if named:
        return named[0]
    if by_code is not None and not (wanted and others):
        return by_code  # the name is mistyped: the INSEE code alone says which commune
    return options[0] if len(options) == 1 else None


def search(query, limit=20):
    """Communes whose name starts with (then contains) `query`, or whose code is `query`."""
    wanted = normalized(query or "")
    if len(wanted) < 2:
        return []
    exact = [c for c in communes() if c.insee_code == query.strip().upper()]
    exact += [c for c in communes() if query.strip() in c.postcodes]
    starts = [c for c in communes() if normalized(c.name).startswith(wanted)]
    contains = [c for c in communes() if wanted in normalized(c.name) and c not in starts]
    return list(dict.fromkeys(exact + starts + contains))[:limit]
