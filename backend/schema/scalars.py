"""Scalars whose parsing the API owns.

`DateTime` input is the one place a client's time enters the server: a time
without a zone ("2000-01-01T00:00:00") is read as UTC, and every time is
converted to UTC, so a filter such as `since` compares with the stored aware
UTC columns on every database (times are UTC throughout, see DESIGN). The name,
description and output are strawberry's own, so the published schema is
unchanged.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import dateutil.parser
from strawberry.schema.types.base_scalars import DateTimeDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition


def parse_utc(text: str) -> datetime:
    value = dateutil.parser.isoparse(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDateTime: ScalarDefinition = dataclasses.replace(
    DateTimeDefinition, parse_value=wrap_parser(parse_utc, "DateTime")
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime: UtcDateTime}
