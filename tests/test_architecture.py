"""The floor plan (STYLE.md, README « Architecture »): imports only go down, never in a loop,
and every import written inside a function says why."""

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: a unit may import the units before it, never those after it.
FLOORS = [
    # Ground floor: the project's cross-cutting pieces, no domain knowledge.
    "ecertif.geodata",
    "ecertif.proxy",
    "ecertif.ratelimit",
    "ecertif.logs",
    "ecertif.files",
    "ecertif.sessions",
    "ecertif.audit",
    "ecertif.sequences",
    "ecertif.prepared",
    "ecertif.tables",
    "ecertif.admin_tools",
    "ecertif.import_export_fr",
    "ecertif.health",
    "ecertif.mail",
    "ecertif.notifications",
    "ecertif.accounts",
    # Domain apps.
    "referentiel",
    "dossiers",
    "evaluations",
    "jurys",
    "certificates",
    # Top floor: cross-app pages and tools.
    "stats",
    "exports",
    "home",
    "demo",
    "aide",
]
# The composition roots wire everything together: they may import any floor.
ROOTS = {"ecertif", "ecertif.urls", "ecertif.celery", "ecertif.wsgi", "ecertif.settings"}
PACKAGES = {unit.split(".")[0] for unit in FLOORS}


def unit_of(module):
    """The floor unit a dotted module belongs to (`dossiers.models` → `dossiers`)."""
    parts = module.split(".")
    if parts[0] == "ecertif":
        return ".".join(parts[:2]) if len(parts) > 1 else "ecertif"
    return parts[0]


@functools.cache
def project_modules():
    """(path, dotted module) of every project module, migrations aside; read once per run."""
    found = []
    for package in sorted(PACKAGES):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
            found.append((path, module))
    return tuple(found)


@functools.cache
def imports_of(path, module):
    """(imported module, line, inside a function) for every import of `path`."""
    return tuple(_imports_of(path, module))


def _imports_of(path, module):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    inner = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            yield name, node.lineno, id(node) in inner


def edges():
    found = {}
    for path, module in project_modules():
        source = unit_of(module)
        for name, line, _inner in imports_of(path, module):
            target = unit_of(name)
            if name.split(".")[0] in PACKAGES and target != source:
                found.setdefault((source, target), f"{path.relative_to(ROOT)}:{line}")
    return found


def test_every_project_package_has_a_floor():
    units = {unit_of(module) for _path, module in project_modules()} - ROOTS
    assert units - set(FLOORS) == set()


def test_imports_only_go_down():
    rank = {unit: position for position, unit in enumerate(FLOORS)}
    upward = [
        f"{where}: {source} importe {target}"
        for (source, target), where in sorted(edges().items())
        if source not in ROOTS and target in rank and rank[target] > rank[source]
    ]
    assert upward == []


def test_no_import_cycle_between_units():
    graph = {}
    for source, target in edges():
        graph.setdefault(source, set()).add(target)

    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            unit, trail = stack.pop()
            for following in graph.get(unit, ()):
                if following == start:
                    return [*trail, start]
                if following not in seen:
                    seen.add(following)
                    stack.append((following, [*trail, following]))
        return None

    assert [cycle for unit in sorted(graph) if (cycle := cycle_from(unit))] == []


def test_every_import_inside_a_function_says_why():
    silent = []
    for path, module in project_modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for _name, line, inner in imports_of(path, module):
            if not inner:
                continue
            # A comment on the line, or above the block of imports it belongs to.
            above = line - 1
            while above > 0 and (
                not lines[above - 1].strip()
                or lines[above - 1].strip().startswith(("from ", "import ", ")"))
            ):
                above -= 1
            if "#" not in lines[line - 1] and not lines[above - 1].strip().startswith("#"):
                silent.append(f"{path.relative_to(ROOT)}:{line}")
    assert silent == []


@pytest.mark.parametrize(
    ("module", "unit"),
    [
        ("dossiers.models", "dossiers"),
        ("ecertif.files.uploads", "ecertif.files"),
        ("ecertif.urls", "ecertif.urls"),
        ("ecertif", "ecertif"),
    ],
)
def test_unit_of(module, unit):
    assert unit_of(module) == unit
