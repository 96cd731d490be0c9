"""The house's plan: every module lives in a room, and imports point one way, down.

From the top: the project (`directory`'s settings and URLs), the surfaces people use (pages,
API, editing, commands), the services that write (and the fixture build), the surveys, and the
records with their reads. A module may import from its own layer or any layer below it, never
above; `directory`'s plumbing (logs, errors, health, routers) imports no application code at
all. Every module must be placed, so a new one lands in a room on purpose; and no two modules
import each other, even inside a function.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("orgs", "surveys", "directory")

# Highest first. A module belongs to the layer of its longest matching prefix.
LAYERS = {
    "project": ["directory.settings", "directory.urls", "directory.wsgi", "directory.asgi"],
    "surfaces": [
        "orgs.pages",
        "orgs.api",
        "orgs.editing",
        "orgs.admin",
        "orgs.management",
        "orgs.templatetags",
        "surveys.views",
        "surveys.urls",
        "surveys.tallies",
    ],
    "services": ["orgs.services", "orgs.seeding", "orgs.signals", "orgs.apps"],
    "surveys": ["surveys.models", "surveys.selectors", "surveys.apps"],
    "records": [
        "orgs.models",
        "orgs.choices",
        "orgs.selectors",
        "orgs.search",
        "orgs.hsds",
        "orgs.caching",
        "orgs.figure_tags",
        "orgs.paging",
        "orgs.links",
        "orgs.locators",
        "orgs.slugs",
        "orgs.roles",
        "orgs.spreadsheet_cells",
        "orgs.wording",
        "orgs.listed_fields",
        "orgs.projection",
    ],
}
HEIGHT = {layer: height for height, layer in enumerate(reversed(LAYERS))}
# Plumbing anyone may use; it imports nothing of ours.
PLUMBING = [
    "directory.logs",
    "directory.errors",
    "directory.health",
    "directory.routers",
    "directory.clients",
    "directory.lockouts",
    "directory.addresses",
    "directory.request_limits",
    "directory.checks",
]


def module_names() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "formats" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = module_names()


def imports_of(name: str, path: Path) -> set[str]:
    """Our modules that `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            # `from orgs.services import merging` imports the module orgs.services.merging
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


def placed(name: str) -> str | None:
    if any(name == plumbing or name.startswith(plumbing + ".") for plumbing in PLUMBING):
        return "plumbing"
    matches = [
        (len(prefix), layer)
        for layer, prefixes in LAYERS.items()
        for prefix in prefixes
        if name == prefix or name.startswith(prefix + ".")
    ]
    return max(matches)[1] if matches else None


def package_modules() -> list[str]:
    """Package `__init__` modules hold nothing but a docstring, so they are not placed."""
    return [name for name, path in MODULES.items() if path.name == "__init__.py"]


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def test_every_module_is_in_a_room():
    unplaced = [name for name in MODULES if placed(name) is None and name not in package_modules()]
    assert unplaced == []


def wrong_imports(name: str, targets: set[str]) -> list[str]:
    """The imports of `name` that point up, or any import of ours from plumbing."""
    layer = placed(name)
    if layer == "plumbing":
        return sorted(targets - set(package_modules()))
    if layer is None:
        return []
    return [
        target
        for target in sorted(targets)
        if placed(target) not in (None, "plumbing") and HEIGHT[placed(target)] > HEIGHT[layer]
    ]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    assert wrong_imports(name, GRAPH[name]) == [], f"{name} ({placed(name)}) imports from above"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One path around each cycle found by a depth-first walk (enough to name the culprits)."""
    found, state = [], {}

    def visit(name, path):
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            if state.get(target) == "open":
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_no_modules_import_each_other():
    assert cycles(GRAPH) == []


def test_the_checks_see_a_wrong_import(tmp_path):
    """The checks read real import statements: a record module importing a page, plumbing
    importing a model, and two modules importing each other inside functions are all caught."""
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from orgs.pages import lists\n")
    upward = imports_of("orgs.selectors.example", module)
    assert wrong_imports("orgs.selectors.example", upward) == ["orgs.pages.lists"]
    assert wrong_imports("directory.logs", {"orgs.models"}) == ["orgs.models"]
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
