"""Données administratives françaises : régions (découpage 2016) et départements.

Codes et libellés du Code officiel géographique (COG) de l'INSEE. Module en Python pur :
aucune dépendance à Django ni à la base de données.
"""

from __future__ import annotations

import re
import unicodedata

# Code INSEE de région -> libellé (18 régions : 13 métropolitaines + 5 d'outre-mer).
REGIONS: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

# Code de département -> (libellé, code de région), dans l'ordre du COG.
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "01": ("Ain", "84"),
    "02": ("Aisne", "32"),
    "03": ("Allier", "84"),
    "04": ("Alpes-de-Haute-Provence", "93"),
    "05": ("Hautes-Alpes", "93"),
    "06": ("Alpes-Maritimes", "93"),
    "07": ("Ardèche", "84"),
    "08": ("Ardennes", "44"),
    "09": ("Ariège", "76"),
    "10": ("Aube", "44"),
    "11": ("Aude", "76"),
    "12": ("Aveyron", "76"),
    "13": ("Bouches-du-Rhône", "93"),
    "14": ("Calvados", "28"),
    "15": ("Cantal", "84"),
    "16": ("Charente", "75"),
    "17": ("Charente-Maritime", "75"),
    "18": ("Cher", "24"),
    "19": ("Corrèze", "75"),
    "2A": ("Corse-du-Sud", "94"),
    "2B": ("Haute-Corse", "94"),
    "21": ("Côte-d'Or", "27"),
    "22": ("Côtes-d'Armor", "53"),
    "23": ("Creuse", "75"),
    "24": ("Dordogne", "75"),
    "25": ("Doubs", "27"),
    "26": ("Drôme", "84"),
    "27": ("Eure", "28"),
    "28": ("Eure-et-Loir", "24"),
    "29": ("Finistère", "53"),
    "30": ("Gard", "76"),
    "31": ("Haute-Garonne", "76"),
    "32": ("Gers", "76"),
    "33": ("Gironde", "75"),
    "34": ("Hérault", "76"),
    "35": ("Ille-et-Vilaine", "53"),
    "36": ("Indre", "24"),
    "37": ("Indre-et-Loire", "24"),
    "38": ("Isère", "84"),
    "39": ("Jura", "27"),
    "40": ("Landes", "75"),
    "41": ("Loir-et-Cher", "24"),
    "42": ("Loire", "84"),
    "43": ("Haute-Loire", "84"),
    "44": ("Loire-Atlantique", "52"),
    "45": ("Loiret", "24"),
    "46": ("Lot", "76"),
    "47": ("Lot-et-Garonne", "75"),
    "48": ("Lozère", "76"),
    "49": ("Maine-et-Loire", "52"),
    "50": ("Manche", "28"),
    "51": ("Marne", "44"),
    "52": ("Haute-Marne", "44"),
    "53": ("Mayenne", "52"),
    "54": ("Meurthe-et-Moselle", "44"),
    "55": ("Meuse", "44"),
    "56": ("Morbihan", "53"),
    "57": ("Moselle", "44"),
    "58": ("Nièvre", "27"),
    "59": ("Nord", "32"),
    "60": ("Oise", "32"),
    "61": ("Orne", "28"),
    "62": ("Pas-de-Calais", "32"),
    "63": ("Puy-de-Dôme", "84"),
    "64": ("Pyrénées-Atlantiques", "75"),
    "65": ("Hautes-Pyrénées", "76"),
    "66": ("Pyrénées-Orientales", "76"),
    "67": ("Bas-Rhin", "44"),
    "68": ("Haut-Rhin", "44"),
    "69": ("Rhône", "84"),
    "70": ("Haute-Saône", "27"),
    "71": ("Saône-et-Loire", "27"),
    "72": ("Sarthe", "52"),
    "73": ("Savoie", "84"),
    "74": ("Haute-Savoie", "84"),
    "75": ("Paris", "11"),
    "76": ("Seine-Maritime", "28"),
    "77": ("Seine-et-Marne", "11"),
    "78": ("Yvelines", "11"),
    "79": ("Deux-Sèvres", "75"),
    "80": ("Somme", "32"),
    "81": ("Tarn", "76"),
    "82": ("Tarn-et-Garonne", "76"),
    "83": ("Var", "93"),
    "84": ("Vaucluse", "93"),
    "85": ("Vendée", "52"),
    "86": ("Vienne", "75"),
    "87": ("Haute-Vienne", "75"),
    "88": ("Vosges", "44"),
    "89": ("Yonne", "27"),
    "90": ("Territoire de Belfort", "27"),
    "91": ("Essonne", "11"),
    "92": ("Hauts-de-Seine", "11"),
    "93": ("Seine-Saint-Denis", "11"),
    "94": ("Val-de-Marne", "11"),
    "95": ("Val-d'Oise", "11"),
    "971": ("Guadeloupe", "01"),
    "972": ("Martinique", "02"),
    "973": ("Guyane", "03"),
    "974": ("La Réunion", "04"),
    "976": ("Mayotte", "06"),
}

# Départements d'outre-mer : les trois premiers chiffres du code postal.
_OVERSEAS_DEPARTMENTS = frozenset({"971", "972", "973", "974", "976"})

# Chiffres ASCII uniquement (\d accepterait aussi d'autres chiffres Unicode).
_POSTCODE_RE = re.compile(r"[0-9]{5}")


def department_for_postcode(postcode: str) -> str | None:
    """Département d'un code postal à 5 chiffres, ou ``None`` s'il n'est pas reconnu.

    La Corse est découpée en 20000–20199 (2A) et 20200–20999 (2B). Les codes postaux
    d'outre-mer sont lus sur trois chiffres ; Saint-Pierre-et-Miquelon (975), 977, 978
    et les collectivités du Pacifique (98) ne sont pas des départements et donnent ``None``.
    """
    if not isinstance(postcode, str) or not _POSTCODE_RE.fullmatch(postcode):
        return None
    prefix = postcode[:2]
    if prefix == "20":
        return "2A" if int(postcode) < 20200 else "2B"
    if prefix == "97":
        code = postcode[:3]
        return code if code in _OVERSEAS_DEPARTMENTS else None
    if prefix == "98":
        return None
    return prefix if prefix in DEPARTMENTS else None


def region_for_department(code: str) -> str | None:
    """Code de région d'un département, ou ``None`` si le département est inconnu."""
    department = DEPARTMENTS.get(code)
    return department[1] if department else None


def region_for_postcode(postcode: str) -> str | None:
    """Code de région d'un code postal, ou ``None`` s'il n'est pas reconnu."""
    department = department_for_postcode(postcode)
    return region_for_department(department) if department else None


def department_name(code: str) -> str | None:
    """Libellé d'un département, ou ``None`` si le code est inconnu."""
    department = DEPARTMENTS.get(code)
    return department[0] if department else None


def region_name(code: str) -> str | None:
    """Libellé d'une région, ou ``None`` si le code est inconnu."""
    return REGIONS.get(code)


def _label_sort_key(label: str) -> str:
    """Clé de tri alphabétique insensible aux accents (« Île » se range avec les « I »)."""
    decomposed = unicodedata.normalize("NFD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _department_sort_key(code: str) -> tuple[int, int]:
    """Ordre du COG : 19, 2A, 2B, 21, …, 95, 971, …"""
    if code == "2A":
        return (20, 1)
    if code == "2B":
        return (20, 2)
    return (int(code), 0)


REGION_CHOICES: list[tuple[str, str]] = sorted(
    REGIONS.items(), key=lambda item: _label_sort_key(item[1])
)

DEPARTMENT_CHOICES: list[tuple[str, str]] = [
    (code, f"{code} — {DEPARTMENTS[code][0]}")
    for code in sorted(DEPARTMENTS, key=_department_sort_key)
]
