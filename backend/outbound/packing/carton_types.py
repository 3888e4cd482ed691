"""Carton types: the boxes a packing station has, as master data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode

MAX_SIDE_MM = 10_000
MAX_WEIGHT_G = 2_000_000


@dataclass(frozen=True)
class CartonTypeSpec:
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_g: int
    tare_weight_g: int = 0
    active: bool = True


def _checked(spec: CartonTypeSpec) -> CartonTypeSpec:
    """The spec with its code upper-cased and trimmed, or a refusal naming the field."""
    code = spec.code.strip().upper()
    if not code or len(code) > 32:
        raise DomainError(ErrorCode.INVALID_INPUT, "A code of 1–32 characters.", "code")
    name = spec.name.strip()
    if not name or len(name) > 120:
        raise DomainError(ErrorCode.INVALID_INPUT, "A name of 1–120 characters.", "name")
    for field, value in (
        ("lengthMm", spec.length_mm),
        ("widthMm", spec.width_mm),
        ("heightMm", spec.height_mm),
    ):
        if not 0 < value <= MAX_SIDE_MM:
            raise DomainError(ErrorCode.INVALID_INPUT, "Sides of 1 mm to 10 m.", field)
    if not 0 < spec.max_weight_g <= MAX_WEIGHT_G:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "A weight limit of 1 g to 2 t.", "maxWeightGrams"
        )
    if not 0 <= spec.tare_weight_g < spec.max_weight_g:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "The carton's own weight is below its limit.",
            "tareWeightGrams",
        )
    return CartonTypeSpec(
        code,
        name,
        spec.length_mm,
        spec.width_mm,
        spec.height_mm,
        spec.max_weight_g,
        spec.tare_weight_g,
        spec.active,
    )


async def save_carton_type(uow: UnitOfWork, spec: CartonTypeSpec) -> m.CartonType:
    """Add a carton type, or change the one with this code."""
    spec = _checked(spec)
    session = uow.session
    row = await session.scalar(select(m.CartonType).where(m.CartonType.code == spec.code))
    if row is None:
        row = m.CartonType(code=spec.code)
        session.add(row)
    row.name = spec.name
    row.length_mm = spec.length_mm
    row.width_mm = spec.width_mm
    row.height_mm = spec.height_mm
    row.max_weight_g = spec.max_weight_g
    row.tare_weight_g = spec.tare_weight_g
    row.active = spec.active
    await session.flush()
    return row
