"""The layout's rules, read off the source: no package imports another that imports it
back, at the top level or between the parts of one package."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"


def _module_name(path: Path) -> str:
    parts = path.relative_to(BACKEND.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = BACKEND.parent / dotted.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path: Path) -> set[str]:
    """Every backend module a file imports, wherever in the file (TYPE_CHECKING included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("backend"):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if _is_module(full) else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("backend."))
    return found


def _source_files() -> list[Path]:
    return [p for p in BACKEND.rglob("*.py") if "migrations" not in p.parts]


def _child(owner: str, module: str) -> str | None:
    """The direct part of `owner` (a module or subpackage) that holds `module`."""
    if not module.startswith(owner + "."):
        return None
    return owner + "." + module[len(owner) + 1 :].split(".")[0]


def import_graph(owner: str) -> dict[str, set[str]]:
    """Edges between the direct parts of package `owner`."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in _source_files():
        source = _child(owner, _module_name(path))
        if source is None:
            continue
        for target in _imports(path):
            part = _child(owner, target)
            if part is not None and part != source:
                graph[source].add(part)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _packages() -> list[str]:
    return sorted(
        _module_name(p) for p in BACKEND.rglob("__init__.py") if "migrations" not in p.parts
    )


def test_no_import_cycles_between_packages_or_their_parts() -> None:
    found = {owner: cycles(import_graph(owner)) for owner in _packages()}
    assert {owner: c for owner, c in found.items() if c} == {}


def test_cycle_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# -- the GraphQL package parses, calls and maps; the domain knows no web framework ---------

SCHEMA = BACKEND / "schema"
# Writes and raises a resolver must leave to a domain function.
SCHEMA_FORBIDDEN = (
    "raise DomainError",
    "session.add",
    "session.delete",
    ".delete(",
    ".flush(",
    "insert(",
    "update(",
    "delete(",
)
# Where the HTTP and GraphQL frameworks may be imported: the app, its GraphQL package and
# its plain HTTP routes. Everything else is domain (or a library under it).
FRAMEWORK_PLACES = ("backend.app", "backend.cli", "backend.schema", "backend.http")
FRAMEWORKS = ("strawberry", "starlette")
MAX_FUNCTION_LINES = 80


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """Source lines without comments and docstrings (what a rule must not match in)."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, (body[0].end_lineno or 0) + 1))
    lines = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        code = line.split("#", 1)[0]
        if number not in docstrings and code.strip():
            lines.append((number, code))
    return lines


def test_the_graphql_package_raises_nothing_and_writes_nothing() -> None:
    found = [
        f"{path.relative_to(BACKEND.parent)}:{number}: {code.strip()}"
        for path in sorted(SCHEMA.rglob("*.py"))
        for number, code in _code_lines(path)
        if any(rule in code for rule in SCHEMA_FORBIDDEN)
    ]
    assert found == []


def _framework_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found.update(n.split(".")[0] for n in names if n.split(".")[0] in FRAMEWORKS)
    return found


def test_no_domain_package_imports_strawberry_or_starlette() -> None:
    found = {
        _module_name(path): sorted(frameworks)
        for path in _source_files()
        if not _module_name(path).startswith(FRAMEWORK_PLACES)
        and (frameworks := _framework_imports(path))
    }
    assert found == {}


def test_no_domain_package_imports_the_app_state() -> None:
    found = sorted(
        _module_name(path)
        for path in _source_files()
        if "backend.state" in _imports(path)
        and not _module_name(path).startswith((*FRAMEWORK_PLACES, "backend.state"))
    )
    assert found == []


def test_no_function_is_longer_than_80_lines() -> None:
    found = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{_module_name(path)}.{node.name}: {length} lines")
    assert found == []


def test_the_rules_see_what_they_forbid(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""session.add in a docstring is fine."""\n'
        "import starlette.requests\n"
        "def f(session):\n"
        "    session.add(1)  # a write\n"
        "    raise DomainError('x')\n"
    )
    lines = [code for _, code in _code_lines(sample)]
    assert sum(any(rule in code for rule in SCHEMA_FORBIDDEN) for code in lines) == 2
    assert _framework_imports(sample) == {"starlette"}
