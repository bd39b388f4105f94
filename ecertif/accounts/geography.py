"""Données administratives françaises : régions (découpage 2016), départements et codes postaux.

Données officielles du Code officiel géographique (COG) de l'INSEE livrées dans
`ecertif/geodata/` (paquet `@etalab/decoupage-administratif`, voir son SOURCE.md). Module en
Python pur : aucune dépendance à Django ni à la base de données.

Rien n'est lu à l'import : ``REGIONS``, ``DEPARTMENTS``, ``REGION_CHOICES`` et
``DEPARTMENT_CHOICES`` sont calculés au premier accès (``__getattr__`` de module), la table des
codes postaux au premier appel de ``department_for_postcode`` ; chacun une fois par processus.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache

from ecertif import geodata

# Chiffres ASCII uniquement (\d accepterait aussi d'autres chiffres Unicode).
_POSTCODE_RE = re.compile(r"[0-9]{5}")


@cache
def _regions() -> dict[str, str]:
    """Code INSEE de région -> libellé (18 régions : 13 métropolitaines + 5 d'outre-mer)."""
    return {row["code"]: row["name"] for row in geodata.region_rows()}


@cache
def _departments() -> dict[str, tuple[str, str]]:
    """Code de département -> (libellé, code de région), dans l'ordre du COG (2A, 2B après 19)."""
    return {
        row["code"]: (row["name"], row["region"])
        for row in sorted(
            geodata.department_rows(), key=lambda row: geodata.department_sort_key(row["code"])
        )
    }


@cache
def _department_by_postcode() -> dict[str, str]:
    """Code postal -> département, d'après les codes postaux des communes du COG.

    Un code postal absent des communes (CEDEX, code inexistant) n'y figure pas. Ceux des
    collectivités d'outre-mer (975, 977, 978, 98x), qui ne sont pas des départements, non plus.
    Un code postal partagé par des communes de deux départements (01200 : Ain et Haute-Savoie)
    va au département que désignent ses premiers chiffres, celui du bureau distributeur.
    """
    departments = _departments()
    found: dict[str, set[str]] = defaultdict(set)
    for row in geodata.commune_rows():
        if row["department"] in departments:
            for postcode in row["postcodes"].split():
                found[postcode].add(row["department"])
    return {postcode: _pick(postcode, codes) for postcode, codes in found.items()}


def _pick(postcode: str, codes: set[str]) -> str:
    if len(codes) == 1:
        return next(iter(codes))
    named = [code for code in codes if postcode.startswith(code)]
    return min(named or codes, key=geodata.department_sort_key)


def department_for_postcode(postcode: str) -> str | None:
    """Département d'un code postal à 5 chiffres, ou ``None`` s'il n'est pas reconnu.

    D'abord les codes postaux des communes du COG : la Corse donne 2A ou 2B selon la commune
    (20000 Ajaccio : 2A, 20200 Bastia : 2B), l'outre-mer son département à trois chiffres
    (97411 : 974). Un code de métropole attribué à aucune commune (CEDEX des entreprises et
    administrations : 92099, 75700) va au département de ses deux premiers chiffres. Ceux de
    Saint-Pierre-et-Miquelon (975), de Saint-Barthélemy et Saint-Martin (977, 978) et des
    collectivités du Pacifique (98) ne sont pas des départements et donnent ``None``.
    """
    if not isinstance(postcode, str) or not _POSTCODE_RE.fullmatch(postcode):
        return None
    return _department_by_postcode().get(postcode) or _cedex_department(postcode)


def _cedex_department(postcode: str) -> str | None:
    """A metropolitan code given to no commune (CEDEX: 92099 La Défense, 75700 Paris) belongs
    to the department its first two digits name; Corsica splits at 20200 (Bastia) as the post
    office does. Overseas codes not in the list are collectivities, not departments: None."""
    prefix = postcode[:2]
    if prefix == "20":
        return "2A" if postcode < "20200" else "2B"
    if prefix != "97" and prefix in _departments():
        return prefix
    return None


def region_for_department(code: str) -> str | None:
    """Code de région d'un département, ou ``None`` si le département est inconnu."""
    department = _departments().get(code)
    return department[1] if department else None


def region_for_postcode(postcode: str) -> str | None:
    """Code de région d'un code postal, ou ``None`` s'il n'est pas reconnu."""
    department = department_for_postcode(postcode)
    return region_for_department(department) if department else None


def department_name(code: str) -> str | None:
    """Libellé d'un département, ou ``None`` si le code est inconnu."""
    department = _departments().get(code)
    return department[0] if department else None


def region_name(code: str) -> str | None:
    """Libellé d'une région, ou ``None`` si le code est inconnu."""
    return _regions().get(code)


def _label_sort_key(label: str) -> str:
    """Clé de tri alphabétique insensible aux accents (« Île » se range avec les « I »)."""
    decomposed = unicodedata.normalize("NFD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _region_choices() -> list[tuple[str, str]]:
    return sorted(_regions().items(), key=lambda item: _label_sort_key(item[1]))


@cache
def _department_choices() -> list[tuple[str, str]]:
    departments = _departments()
    return [(code, f"{code} — {name}") for code, (name, _region) in departments.items()]


_LAZY = {
    "REGIONS": _regions,
    "DEPARTMENTS": _departments,
    "REGION_CHOICES": _region_choices,
    "DEPARTMENT_CHOICES": _department_choices,
}


def __getattr__(name: str):
    """Les tables publiques, lues au premier accès (PEP 562) puis gardées en cache."""
    try:
        return _LAZY[name]()
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
