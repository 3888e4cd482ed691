"""TOTP second factor for admin and supervisor desk sign-in."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from sqlalchemy import select

from backend.core.auth.totp import STEP_SECONDS
from backend.core.db.models import User

SIGN_IN = """mutation($u: String!, $p: String!, $o: String) { signIn(input: {username: $u,
  password: $p, deviceId: "desk-1", otp: $o}) { __typename ... on SignInSuccess { token }
  ... on UserError { code field } } }"""
BADGE = """mutation($b: String!, $p: String!, $o: String) { signInWithBadge(input: {badge: $b,
  pin: $p, deviceId: "hh-1", otp: $o}) { __typename ... on SignInSuccess { token }
  ... on UserError { code } } }"""
START = """mutation { startTotpEnrolment { __typename ... on TotpEnrolment { secret uri qrSvg }
  ... on UserError { code } } }"""
CONFIRM = """mutation($c: String!) { confirmTotp(input: {code: $c}) { __typename
  ... on TotpChanged { enabled } ... on UserError { code } } }"""
DISABLE = """mutation($c: String!) { disableTotp(input: {code: $c}) { __typename
  ... on TotpChanged { enabled } ... on UserError { code } } }"""


def code_at(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).at(time.time() + steps_ahead * STEP_SECONDS)


async def sign_in(gql: Any, role: str, otp: str | None = None) -> dict[str, Any]:
    cred = gql.credentials[role]
    body = await gql(SIGN_IN, {"u": cred.username, "p": cred.password, "o": otp})
    return body["data"]["signIn"]  # type: ignore[no-any-return]


async def enrol(gql: Any, role: str) -> tuple[str, str]:
    token = await gql.token(role)
    started = (await gql(START, token=token))["data"]["startTotpEnrolment"]
    assert started["__typename"] == "TotpEnrolment", started
    secret = started["secret"]
    assert started["uri"].startswith("otpauth://totp/")
    assert f"secret={secret}" in started["uri"]
    assert started["qrSvg"].startswith("<svg")
    wrong = await gql(
        CONFIRM, {"c": "000000" if code_at(secret) != "000000" else "111111"}, token=token
    )
    assert wrong["data"]["confirmTotp"]["code"] == "OTP_INVALID"
    confirmed = (await gql(CONFIRM, {"c": code_at(secret)}, token=token))["data"]["confirmTotp"]
    assert confirmed == {"__typename": "TotpChanged", "enabled": True}
    return secret, token


async def test_enrolled_supervisor_needs_a_fresh_code_at_sign_in(gql, session):
    secret, token = await enrol(gql, "supervisor")
    # The session that confirmed stays open.
    assert (await gql("{ me { username } }", token=token))["data"]["me"] is not None

    assert await sign_in(gql, "supervisor") == {
        "__typename": "AuthError",
        "code": "OTP_REQUIRED",
        "field": "otp",
    }
    bad = await sign_in(gql, "supervisor", "123456" if code_at(secret) != "123456" else "654321")
    assert bad["code"] == "OTP_INVALID"
    # The code used to confirm is spent; the next step's code works once.
    assert (await sign_in(gql, "supervisor", code_at(secret)))["code"] == "OTP_INVALID"
    fresh = code_at(secret, 1)
    assert (await sign_in(gql, "supervisor", fresh))["__typename"] == "SignInSuccess"
    assert (await sign_in(gql, "supervisor", fresh))["code"] == "OTP_INVALID"

    row = await session.scalar(
        select(User).where(User.username == gql.credentials["supervisor"].username)
    )
    assert row is not None and row.totp_enabled_at is not None
    await session.rollback()


async def test_badge_sign_in_of_floor_roles_is_unaffected_and_of_an_enrolled_role_asks(gql):
    picker = gql.credentials["picker"]
    ok = (await gql(BADGE, {"b": picker.badge, "p": picker.pin}))["data"]["signInWithBadge"]
    assert ok["__typename"] == "SignInSuccess"
    picker_token = ok["token"]
    refused = (await gql(START, token=picker_token))["data"]["startTotpEnrolment"]
    assert refused == {"__typename": "PermissionDenied", "code": "PERMISSION_DENIED"}

    secret, _ = await enrol(gql, "supervisor")
    boss = gql.credentials["supervisor"]
    if boss.badge:
        asked = (await gql(BADGE, {"b": boss.badge, "p": boss.pin}))["data"]["signInWithBadge"]
        assert asked["code"] == "OTP_REQUIRED"
        passed = await gql(BADGE, {"b": boss.badge, "p": boss.pin, "o": code_at(secret, 1)})
        assert passed["data"]["signInWithBadge"]["__typename"] == "SignInSuccess"


async def test_confirming_ends_sessions_opened_without_the_factor(gql):
    other = (await sign_in(gql, "admin"))["token"]
    await enrol(gql, "admin")
    body = await gql("{ me { username } }", token=other)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_turning_it_off_needs_a_code(gql):
    secret, token = await enrol(gql, "admin")
    body = await gql(DISABLE, {"c": "12"}, token=token)
    assert body["data"]["disableTotp"]["code"] == "OTP_INVALID"
    body = await gql(DISABLE, {"c": code_at(secret, 1)}, token=token)
    assert body["data"]["disableTotp"] == {"__typename": "TotpChanged", "enabled": False}
    assert (await sign_in(gql, "admin"))["__typename"] == "SignInSuccess"


async def test_the_setting_requires_it_of_admins_and_supervisors_only(app, gql):
    app.state.wms.signin.totp_required = True
    try:
        assert (await sign_in(gql, "supervisor"))["code"] == "OTP_ENROLMENT_REQUIRED"
        assert (await sign_in(gql, "admin"))["code"] == "OTP_ENROLMENT_REQUIRED"
        assert (await sign_in(gql, "planner"))["__typename"] == "SignInSuccess"
        picker = gql.credentials["picker"]
        badge = await gql(BADGE, {"b": picker.badge, "p": picker.pin})
        assert badge["data"]["signInWithBadge"]["__typename"] == "SignInSuccess"
    finally:
        app.state.wms.signin.totp_required = False
