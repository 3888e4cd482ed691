"""Relay connections with keyset pagination on the primary key: no OFFSET scans."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from backend.core.ids import id_or_none

NodeT = TypeVar("NodeT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        prefix, _, raw = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        key = id_or_none(raw)
        if prefix != "k" or key is None:
            raise ValueError(cursor)
        return key
    except (ValueError, UnicodeDecodeError) as exc:
        raise GraphQLError(
            "Malformed cursor.", extensions={"code": "BAD_REQUEST", "field": "after"}
        ) from exc


def check_first(first: int, max_page_size: int) -> None:
    if not 0 < first <= max_page_size:
        raise GraphQLError(
            f"`first` must be between 1 and {max_page_size}.",
            extensions={"code": "BAD_REQUEST", "field": "first"},
        )


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    key: InstrumentedAttribute[int],
    to_node: Callable[[Any], NodeT],
    *,
    first: int,
    after: str | None,
    max_page_size: int,
    scalars: bool = True,
) -> Connection[NodeT]:
    check_first(first, max_page_size)
    if after is not None:
        stmt = stmt.where(key > decode_cursor(after))
    stmt = stmt.order_by(key).limit(first + 1)
    result = await session.execute(stmt)
    rows: Sequence[Any] = result.scalars().all() if scalars else result.all()
    has_next = len(rows) > first
    rows = rows[:first]
    edges = []
    for row in rows:
        obj = row if scalars else row[0]
        edges.append(Edge(cursor=encode_cursor(obj.id), node=to_node(row)))
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
