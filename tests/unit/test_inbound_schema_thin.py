"""The inbound GraphQL package parses, calls the domain and maps: it refuses nothing and
writes nothing itself (those are ``backend.inbound``'s), and no function in inbound's
room grows past 80 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = sorted((ROOT / "backend/schema/inbound").glob("*.py"))
ROOM = (
    SCHEMA
    + sorted((ROOT / "backend/inbound").rglob("*.py"))
    + [ROOT / "backend/inventory/serials.py"]
)
FORBIDDEN = re.compile(
    r"raise DomainError|session\.add|session\.delete|\.flush\(\)|\binsert\(|\bupdate\(|\bdelete\("
)


def test_the_inbound_schema_package_exists():
    assert {p.name for p in SCHEMA} >= {"__init__.py", "types.py", "queries.py", "mutations.py"}


def test_inbound_resolvers_neither_refuse_nor_write():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SCHEMA
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert found == []


def test_no_function_in_the_inbound_room_is_over_80_lines():
    long = []
    for path in ROOM:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.name} ({length} lines)")
    assert long == []


def test_the_inbound_domain_knows_nothing_of_graphql_or_http():
    for path in ROOM[len(SCHEMA) :]:
        text = path.read_text()
        assert "strawberry" not in text and "starlette" not in text, path
