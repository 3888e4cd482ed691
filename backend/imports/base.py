"""What every import kind has: the run's context, a parsed row, and the abstract kind
(how a row is read and checked, written, finished and exported)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import Problem
from backend.core.auth.permissions import Perm


@dataclass
class Context:
    warehouse_id: int
    warehouse_code: str
    user_id: int
    reference: str
    # Keys seen earlier in this file (duplicates inside one file are refused).
    seen: dict[Any, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    line: int
    spec: Any


class Kind(ABC):
    """One importable kind: how a row is read and checked, written, and exported."""

    name: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[frozenset[str]]
    permission: ClassVar[Perm] = Perm.MASTER_WRITE
    read_permission: ClassVar[Perm] = Perm.MASTER_READ
    example: ClassVar[tuple[str, ...]] = ()
    # API field of a problem → the column it came from.
    fields: ClassVar[dict[str, str]] = {}
    # Tables an import of this kind grows and then reads again (runner.refresh_statistics).
    grows: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def parse(self, values: dict[str, str], problems: list[Problem]) -> Any: ...

    def keys(self, spec: Any) -> list[tuple[str, str]]:
        """(column, key) pairs that must be unique within the file."""
        return []

    async def check(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> dict[int, list[Problem]]:
        return {}

    @abstractmethod
    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None: ...

    async def finish(self, session: AsyncSession, ctx: Context) -> dict[int, list[Problem]]:
        """After the last chunk, when every row passed: work that needs the whole file
        (a sales order's lines, say); problems by line."""
        return {}

    @abstractmethod
    def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]: ...

    def column_of(self, problem_field: str) -> str:
        if problem_field in self.columns:
            return problem_field
        return self.fields.get(problem_field, snake(problem_field))


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).replace(".", "_")
