"""The shape of the code, read from its source (AST only: nothing of core/ or tui/ is imported).

- No import circle among the modules of core/ or of tui/: every import statement counts,
  at module level, under ``if TYPE_CHECKING`` or inside a function; importing a module of a
  package also imports that package (its ``__init__``), unless the importer lives in it.
- No class over ``CLASS_LINES`` lines, counting the project classes it inherits from (mixins).
- No two classes of core/ and tui/ share a name.
- core/ never imports Textual (nor tui/).

Two tests run the checks on a small made-up project, so they are seen to catch what they
look for even while the real tree passes.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "tui")
CLASS_LINES = 250
FORBIDDEN_IN_CORE = ("textual", "tui")


@dataclass(frozen=True)
class Module:
    """One source file of the project: its dotted name, path and syntax tree."""

    name: str
    path: Path
    root: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package a relative import in this module starts from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]

    def where(self, line: int) -> str:
        """``path:line``, relative to the project's root."""
        return f"{self.path.relative_to(self.root)}:{line}"


Modules = dict[str, Module]


@functools.cache
def load(root: Path = ROOT) -> Modules:
    """Every module of core/ and tui/ under ``root`` by dotted name (a package by its own)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = Module(name, path, root, ast.parse(path.read_text(encoding="utf-8")))
    return found


# --- imports ----------------------------------------------------------------------------

def absolute(module: Module, node: ast.ImportFrom) -> str:
    """The dotted name a ``from ... import`` statement imports from."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_names(known: Modules, module: Module) -> list[tuple[str, int]]:
    """(dotted name, line) of everything ``module`` imports, anywhere in it; for ``from P
    import x`` that is P.x where x is a module of the project, else P."""
    names = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = absolute(module, node)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                names.append((child if child in known else base, node.lineno))
    return names


def imported_modules(known: Modules, importer: Module, name: str) -> list[str]:
    """The project modules that importing ``name`` from ``importer`` runs: the module and
    each package above it that ``importer`` is not already inside."""
    parts = name.split(".")
    prefixes = [".".join(parts[:k]) for k in range(1, len(parts) + 1)]
    inside = {p for p in prefixes if importer.name == p or importer.name.startswith(p + ".")}
    return [p for p in prefixes if p in known and (p == name or p not in inside)]


def import_graph(known: Modules) -> dict[str, dict[str, int]]:
    """For each module, the project modules it imports, each with the line of its first
    import; an import of a project module that does not exist fails here."""
    graph: dict[str, dict[str, int]] = {name: {} for name in known}
    unresolved = []
    for module in known.values():
        for name, line in imported_names(known, module):
            if name.split(".")[0] not in PACKAGES:
                continue
            targets = imported_modules(known, module, name)
            if name not in targets:
                unresolved.append(f"{module.where(line)} imports {name}, which is not a module")
            for target in targets:
                if target != module.name:
                    graph[module.name][target] = min(graph[module.name].get(target, line), line)
    assert not unresolved, "\n".join(dict.fromkeys(unresolved))
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``graph``, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def circle(known: Modules, graph: dict[str, dict[str, int]], component: list[str]) -> str:
    """A shortest circle through the component's first module, each import with its line."""
    start, members = component[0], set(component)
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while start not in graph[queue[0]]:
        node = queue.popleft()
        for target in sorted(graph[node]):
            if target in members and target not in came_from:
                came_from[target] = node
                queue.append(target)
    path = [queue[0]]
    while came_from[path[-1]] is not None:
        path.append(came_from[path[-1]])
    path = [*reversed(path), start]
    text = "\n    ".join(f"{a} -> {b} ({known[a].where(graph[a][b])})"
                         for a, b in itertools.pairwise(path))
    others = sorted(members - set(path))
    return text + (f"\n    (and in the same circle: {', '.join(others)})" if others else "")


def import_circles(known: Modules, package: str) -> list[str]:
    """Each import circle among the modules of ``package``, written out."""
    graph = import_graph(known)
    return [circle(known, graph, component) for component in strongly_connected(graph)
            if len(component) > 1 and component[0].split(".")[0] == package]


def forbidden_imports(known: Modules) -> list[str]:
    """Each import of Textual or tui/ in core/."""
    return [f"{module.where(line)} imports {name}"
            for module in known.values() if module.name.split(".")[0] == "core"
            for name, line in imported_names(known, module)
            if name.split(".")[0] in FORBIDDEN_IN_CORE]


# --- classes ----------------------------------------------------------------------------

def top_level_classes(module: Module) -> list[ast.ClassDef]:
    """The classes a module defines outside functions and other classes."""
    found, pending = [], list(module.tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.ClassDef):
            found.append(node)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pending += [child for child in ast.iter_child_nodes(node)
                        if isinstance(child, ast.stmt)]
    return sorted(found, key=lambda node: node.lineno)


def resolve_class(known: Modules, module_name: str, name: str,
                  seen=frozenset()) -> tuple[Module, ast.ClassDef] | None:
    """The project class ``name`` means in a module (defined there or imported), or None."""
    module = known.get(module_name)
    if module is None or (module_name, name) in seen:
        return None
    for node in top_level_classes(module):
        if node.name == name:
            return module, node
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return resolve_class(known, absolute(module, node), alias.name,
                                         seen | {(module_name, name)})
    return None


def module_alias(known: Modules, module: Module, name: str) -> str | None:
    """The project module that ``name`` stands for in ``module`` (``from . import x``)."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                target = f"{absolute(module, node)}.{alias.name}"
                if (alias.asname or alias.name) == name and target in known:
                    return target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == name and alias.name in known:
                    return alias.name
    return None


def project_bases(known: Modules, module: Module,
                  node: ast.ClassDef) -> list[tuple[Module, ast.ClassDef]]:
    """The project classes ``node`` inherits from directly."""
    bases = []
    for base in node.bases:
        if isinstance(base, ast.Subscript):
            base = base.value
        found = None
        if isinstance(base, ast.Name):
            found = resolve_class(known, module.name, base.id)
        elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
            alias = module_alias(known, module, base.value.id)
            found = alias and resolve_class(known, alias, base.attr)
        if found:
            bases.append(found)
    return bases


def lines(node: ast.ClassDef) -> int:
    """The lines a class takes, its decorators included."""
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return node.end_lineno - first + 1


def class_family(known: Modules, module: Module,
                 node: ast.ClassDef) -> list[tuple[Module, ast.ClassDef]]:
    """The class and every project class it inherits from, each once, the class first."""
    family, pending = {}, [(module, node)]
    while pending:
        module, node = pending.pop(0)
        key = (module.name, node.name)
        if key not in family:
            family[key] = (module, node)
            pending += project_bases(known, module, node)
    return list(family.values())


def long_classes(known: Modules) -> list[str]:
    """Each class over ``CLASS_LINES`` lines with the project classes it inherits from."""
    too_long = []
    for module in known.values():
        for node in top_level_classes(module):
            family = class_family(known, module, node)
            total = sum(lines(member) for _, member in family)
            if total > CLASS_LINES:
                inherited = ", ".join(f"{member.name} ({lines(member)})"
                                      for _, member in family[1:])
                too_long.append(f"{node.name} ({module.where(node.lineno)}): {total} lines"
                                + (f", its own {lines(node)} and {inherited}" if inherited else ""))
    return too_long


def shared_class_names(known: Modules) -> list[str]:
    """Each class name that core/ and tui/ define more than once, with where."""
    defined: dict[str, list[str]] = {}
    for module in known.values():
        for node in top_level_classes(module):
            defined.setdefault(node.name, []).append(module.where(node.lineno))
    return [f"{name}: {', '.join(places)}" for name, places in sorted(defined.items())
            if len(places) > 1]


# --- the project ------------------------------------------------------------------------

@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_circle(package):
    """No module of the package imports, directly or through others, a module importing it."""
    circles = import_circles(load(), package)
    assert not circles, f"{len(circles)} import circle(s) in {package}/:\n  " + "\n  ".join(
        circles)


def test_no_class_over_the_limit_with_its_mixins():
    """Every class, with the project classes it inherits from, fits in CLASS_LINES lines."""
    too_long = long_classes(load())
    assert not too_long, f"classes over {CLASS_LINES} lines:\n  " + "\n  ".join(too_long)


def test_no_two_classes_share_a_name():
    """A class name names one class in core/ and tui/ (nested classes aside)."""
    shared = shared_class_names(load())
    assert not shared, "class names defined more than once:\n  " + "\n  ".join(shared)


def test_core_never_imports_textual():
    """core/ is numpy only: no import of Textual or of the app, even inside a function."""
    found = forbidden_imports(load())
    assert not found, "\n".join(found)


# --- the checks themselves, on a made-up project ----------------------------------------

def made_up(root: Path, files: dict[str, str]) -> Modules:
    """A project of ``files`` (path: source) under ``root``, loaded."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load(root)


def test_the_checks_find_a_hidden_circle_and_textual(tmp_path):
    """A circle through a package's __init__ and an import inside a function is found and
    written out with its lines; core importing textual inside a function is found."""
    known = made_up(tmp_path, {
        "core/__init__.py": "",
        "core/a.py": "from .pkg import f\n",
        "core/pkg/__init__.py": "from .b import f\n",
        "core/pkg/b.py": "def f():\n    from .. import a\n    import textual.app\n",
        "core/free.py": "from .pkg.b import f\n",
        "tui/__init__.py": "from core.pkg import f\n",
    })
    circles = import_circles(known, "core")
    assert circles == ["core.a -> core.pkg (core/a.py:1)\n"
                       "    core.pkg -> core.pkg.b (core/pkg/__init__.py:1)\n"
                       "    core.pkg.b -> core.a (core/pkg/b.py:2)"]
    assert import_circles(known, "tui") == []
    assert forbidden_imports(known) == ["core/pkg/b.py:3 imports textual.app"]


def test_the_checks_count_mixins_and_find_shared_names(tmp_path):
    """A class of 200 lines with a 60-line mixin from another module is over the limit; the
    same class alone is not; a name defined in core/ and tui/ is found."""
    body = "    x = 1\n" * 198
    known = made_up(tmp_path, {
        "core/__init__.py": "",
        "tui/__init__.py": "",
        "tui/mixins.py": "class Keys:\n" + "    y = 1\n" * 59,
        "tui/screens.py": "from textual.screen import Screen\nfrom . import mixins\n"
                          f"\n@decorated\nclass Big(mixins.Keys, Screen):\n{body}"
                          f"\nclass Alone(Screen):\n{body}",
        "core/parser.py": "class Keys:\n    pass\n",
    })
    assert long_classes(known) == ["Big (tui/screens.py:5): 260 lines, its own 200 and Keys (60)"]
    assert shared_class_names(known) == ["Keys: core/parser.py:1, tui/mixins.py:1"]
