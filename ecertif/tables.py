"""A table of figures as screens, charts and Excel exports share it."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    header: str  # French, as shown and exported
    kind: str = "text"  # "text", "int", "float", "percent" (0–1), "date", "datetime"
    width: int = 18  # Excel column width, in characters


@dataclass
class Table:
    key: str  # stable identifier, e.g. "dossiers_par_statut"
    title: str  # French title
    columns: list[Column]
    rows: list[tuple] = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.rows
