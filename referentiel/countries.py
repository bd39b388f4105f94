"""The foreign countries and territories a candidate may be born in (INSEE codes 99xxx), shipped
by the ground floor in `ecertif/geodata/countries.csv` (source and version in its SOURCE.md).
Read once per process; `refresh_countries` rebuilds it."""

import unicodedata
from dataclasses import dataclass
from functools import cache

from ecertif import geodata

# Small words kept in lower case when an INSEE name (capitals) is shown.
_SMALL_WORDS = {"de", "du", "des", "et", "ou", "la", "le", "les", "l", "d", "en", "au", "aux"}


@dataclass(frozen=True)
class Country:
    insee_code: str  # 99xxx
    name: str  # the INSEE name, in capitals: `libellePaysNaissance`
    iso2: str
    iso3: str
    name_fr: str  # the French ISO 3166 name, "" for a former country
    territories: tuple[str, ...]

    @property
    def cdc_code(self):
        """`codePaysNaissance` (3 characters): the INSEE code without its « 99 »."""
        return self.insee_code[2:]

    @property
    def label(self):
        """What the form shows: the French ISO name, else the INSEE name in small letters,
        with the territories sharing the code."""
        label = self.name_fr or _readable(self.name)
        if self.territories:
            label += " (dont " + ", ".join(_readable(t) for t in self.territories) + ")"
        return label


def _readable(name):
    """« SAINT-MARTIN (PARTIE NEERLANDAISE) » → « Saint-Martin (partie neerlandaise) »."""
    words = []
    for position, word in enumerate(name.lower().split(" ")):
        if position and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


@cache
def countries():
    """Every country, sorted as the form lists them (by label, accents ignored)."""
    found = [
        Country(
            insee_code=row["insee_code"],
            name=row["name"],
            iso2=row["iso2"],
            iso3=row["iso3"],
            name_fr=row["name_fr"],
            territories=tuple(t.strip() for t in row["territories"].split("|") if t.strip()),
        )
        for row in geodata.country_rows()
    ]
    return tuple(sorted(found, key=lambda country: _sort_key(country.label)))


def _sort_key(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


@cache
def _by_code():
    return {country.insee_code: country for country in countries()}


def by_code(code):
    """The country of an INSEE code (« 99352 »), or None."""
    return _by_code().get((code or "").strip().upper())


def choices():
    """(INSEE code, label) for a select, in label order."""
    return [(country.insee_code, country.label) for country in countries()]
