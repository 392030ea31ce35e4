"""The import graph of src/: no circles, and the product never leans on the sample site.

The graph is read with ``ast`` (not by importing), so it also sees imports made inside
functions: a lazy import that closes a circle is still a circle to whoever reads the code.
Imports under ``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGES = ("article_archive", "article_archive_sample")
SAMPLE = "article_archive_sample"


def _modules() -> dict[str, Path]:
    """Every module of the two packages by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in (SRC / package).rglob("*.py"):
            parts = list(path.relative_to(SRC).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements anywhere in the module, except the bodies of ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The modules of ``known`` that one import statement in module ``name`` loads by name."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    base = node.module or ""
    if node.level:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    out = set()
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in known:
            out.add(submodule)
        elif base in known:
            out.add(base)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of src/ it imports (at top level or inside functions)."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = set()
        for node in _runtime_imports(tree):
            graph[name] |= _targets(name, path, node, known)
        graph[name].discard(name)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return cycles


def test_the_cycle_finder_sees_a_circle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_sees_lazy_imports_and_relative_ones() -> None:
    source = "def f():\n    from . import site\n    from .render import introduction\n"
    tree = ast.parse(source)
    known = {"pkg", "pkg.site", "pkg.render", "pkg.aside"}
    targets: set[str] = set()
    for node in _runtime_imports(tree):
        targets |= _targets("pkg.aside", Path("aside.py"), node, known)
    assert targets == {"pkg.site", "pkg.render"}


def test_type_checking_imports_are_left_out() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.x\n")
    assert [type(node) for node in _runtime_imports(tree)] == [ast.ImportFrom]


def test_src_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "article_archive_sample.render" in graph["article_archive_sample.server"]
    assert find_cycles(graph) == []


def test_only_the_demo_command_imports_the_sample_site() -> None:
    graph = import_graph()
    leaning = sorted(
        name
        for name, imported in graph.items()
        if not name.startswith(SAMPLE) and any(t.startswith(SAMPLE) for t in imported)
    )
    assert leaning == ["article_archive.demo"]


def test_the_sample_site_does_not_import_the_product() -> None:
    graph = import_graph()
    for name, imported in graph.items():
        if name.startswith(SAMPLE):
            assert not any(t.split(".")[0] == "article_archive" for t in imported), name


def test_the_cli_and_demo_modules_load_without_the_sample_site() -> None:
    code = (
        f"import sys, article_archive.cli, article_archive.demo\nprint({SAMPLE!r} in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
