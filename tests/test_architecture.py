"""The layout shows the architecture, and a test keeps it: data flows one way, from the core
(entries) to the rendering (the site) to the adapters (MkDocs, `generate`, the command line)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sites import REPO

PACKAGE = REPO / "plugins" / "funnel_library"
ADAPTERS = {"plugin", "config", "generate", "cli", "new_command", "mkdocs_frame"}


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (lazy imports too), as absolute names."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).glob("*.py")) if folder else sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.stem)
def test_the_core_imports_neither_the_site_nor_an_engine(path):
    forbidden = ("funnel_library.rendering", "mkdocs", "jinja2", "pygraphviz", "pagefind", "material")
    forbidden += tuple(f"funnel_library.{adapter}" for adapter in ADAPTERS)
    assert sorted(name for name in imports_of(path) if name.startswith(forbidden)) == []


@pytest.mark.parametrize("path", modules("rendering"), ids=lambda p: p.stem)
def test_the_rendering_knows_no_engine_and_no_adapter(path):
    forbidden = ("mkdocs", "material") + tuple(f"funnel_library.{adapter}" for adapter in ADAPTERS)
    assert sorted(name for name in imports_of(path) if name.startswith(forbidden)) == []


def test_only_the_mkdocs_adapter_imports_mkdocs():
    importers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(name == "mkdocs" or name.startswith("mkdocs.") for name in imports_of(path))
    }
    assert importers == {"plugin.py", "config.py", "mkdocs_frame.py"}


def test_the_top_of_the_package_holds_only_the_adapters():
    assert {path.stem for path in modules("")} == ADAPTERS | {"__init__"}


def test_the_import_reader_sees_relative_and_lazy_imports():
    assert {"funnel_library.core.library", "funnel_library.rendering.site_build"} <= imports_of(PACKAGE / "plugin.py")
    assert "funnel_library.generate" in imports_of(PACKAGE / "cli.py")  # imported inside a function


def package_graph() -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports (anywhere in it)."""
    names = {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts): path
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    }
    return {
        name: {target for target in imports_of(path) if target in names and target != name}
        for name, path in names.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle in ``graph``, each once, as the modules in the order they import each other."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_module_of_the_package_imports_itself_through_others():
    assert cycles(package_graph()) == []


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
