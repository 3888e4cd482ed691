"""The master-data GraphQL packages parse, call the domain and map: they refuse nothing
and write nothing themselves; the domain (catalog, layout, imports but its HTTP route,
lookup, user upkeep) knows nothing of GraphQL, and no function grows past 80 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = [
    path
    for package in ("catalog", "layout", "users", "lookup")
    for path in sorted((ROOT / "backend/schema" / package).glob("*.py"))
]
DOMAIN = [
    *sorted((ROOT / "backend/catalog").glob("*.py")),
    *sorted((ROOT / "backend/layout").glob("*.py")),
    *sorted(p for p in (ROOT / "backend/imports").glob("*.py") if p.name != "route.py"),
    ROOT / "backend/inventory/stock_lookup.py",
    ROOT / "backend/users/admin.py",
]
FORBIDDEN = re.compile(
    r"raise DomainError|session\.add|session\.delete|\.flush\(\)|\binsert\(|\bupdate\(|\bdelete\("
)


def test_the_master_data_resolvers_neither_refuse_nor_write():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SCHEMA
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert SCHEMA and found == []


def test_the_master_data_domain_knows_nothing_of_graphql():
    for path in DOMAIN:
        text = path.read_text()
        assert "strawberry" not in text and "starlette" not in text, path


def test_no_master_data_function_is_over_80_lines():
    long = []
    for path in SCHEMA + DOMAIN + [ROOT / "backend/http/imports.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.name} ({length} lines)")
    assert long == []


def test_there_is_one_geometry_of():
    defined = [
        path.relative_to(ROOT)
        for path in (ROOT / "backend").rglob("*.py")
        if re.search(r"^def geometry_of\(", path.read_text(), re.M)
    ]
    assert [str(p) for p in defined] == ["backend/layout/geometry.py"]
