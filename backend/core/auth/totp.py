"""TOTP second factor (RFC 6238) for desk sign-in of admins and supervisors.

Enrolment stores a secret and shows it as an otpauth:// URI and a QR code; the
factor is on once a first code confirms the authenticator holds the secret.
A code is accepted for the current 30-second step and one step either side
(clock drift), and only once: the last step used is kept.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

import pyotp
import segno

from backend.core.auth.permissions import Role

# The roles a second factor is for (and may be required of, by setting).
TOTP_ROLES = frozenset({Role.ADMIN.value, Role.SUPERVISOR.value})
ISSUER = "WMS"
STEP_SECONDS = 30
DRIFT_STEPS = 1


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg: str


def applies_to(roles: frozenset[str] | set[str]) -> bool:
    return bool(TOTP_ROLES & set(roles))


def new_enrolment(username: str, issuer: str = ISSUER) -> Enrolment:
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=issuer
    )
    # make_qr: segno.make would pick Micro QR for short data, which phones cannot read.
    svg = segno.make_qr(uri, error="m").svg_inline(scale=4, omitsize=True)
    return Enrolment(secret, uri, svg)


def matching_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step `code` is valid for, if it is valid and newer than `last_step`."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue  # a code is used once
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
