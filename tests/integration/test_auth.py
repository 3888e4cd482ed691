"""Every mutation refused without a token and for every role without its permission.

The matrix is generated from the schema, so a new mutation is covered automatically.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from backend.core.auth.permissions import Role, permissions_of
from backend.schema.mutation import MUTATIONS
from backend.schema.schema import build_schema
from tests.integration.conftest import key

SCHEMA = build_schema()
MUTATION_FIELDS = SCHEMA._schema.mutation_type.fields  # type: ignore[union-attr]
# Open to anyone: signing in. Other mutations without a permission (signOut,
# refreshToken, the caller's own second factor) still need a signed-in caller.
PUBLIC = {
    name
    for name, spec in MUTATIONS.items()
    if spec.permission is None and name.startswith("signIn")
}
OWN_ACCOUNT = {name for name, spec in MUTATIONS.items() if spec.permission is None} - PUBLIC


def dummy(type_: GraphQLInputType) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return dummy(type_.of_type)
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: (key() if name == "idempotencyKey" else dummy(field.type))
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
    assert isinstance(type_, GraphQLScalarType)
    return {"Int": 1, "Float": 1.0, "Boolean": False, "ID": "1", "Date": "2026-01-01"}.get(
        type_.name, "1"
    )


def call_of(name: str) -> tuple[str, dict[str, Any]]:
    field = MUTATION_FIELDS[name]
    if "input" in field.args:
        input_type = field.args["input"].type
        type_name = str(input_type)
        return (
            f"mutation($input: {type_name}) {{ {name}(input: $input) {{ __typename }} }}",
            {"input": dummy(input_type)},
        )
    return f"mutation {{ {name} {{ __typename }} }}", {}


def test_every_mutation_declares_its_permission():
    assert set(MUTATION_FIELDS) == set(MUTATIONS)


@pytest.mark.parametrize("name", sorted(MUTATION_FIELDS))
async def test_refused_without_a_token(gql, name):
    query, variables = call_of(name)
    body = await gql(query, variables)
    if name in PUBLIC:
        assert "errors" not in body, body
        return
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_refused_for_every_role_without_the_permission(gql):
    checked = 0
    for role in Role:
        token = await gql.token(role.value)
        granted = permissions_of({role.value})
        for name in sorted(MUTATION_FIELDS):
            if name in PUBLIC or name in OWN_ACCOUNT:
                continue
            query, variables = call_of(name)
            body = await gql(query, variables, token=token)
            typename = body["data"][name]["__typename"]
            if MUTATIONS[name].permission in granted:
                assert typename != "PermissionDenied", (role, name)
            else:
                assert typename == "PermissionDenied", (role, name)
            checked += 1
    assert checked >= len(Role) * 3


SIGN_IN_BADGE = """mutation($badge: String!, $pin: String!) {
  signInWithBadge(input: {badge: $badge, pin: $pin, deviceId: "handheld-7"}) {
    __typename ... on SignInSuccess { token user { username roles } }
    ... on UserError { code message field } } }"""


async def test_badge_and_pin_sign_in(gql):
    picker = gql.credentials["picker"]
    body = await gql(SIGN_IN_BADGE, {"badge": picker.badge, "pin": picker.pin})
    result = body["data"]["signInWithBadge"]
    assert result["__typename"] == "SignInSuccess"
    assert result["user"] == {"username": picker.username, "roles": ["picker"]}
    me = await gql("{ me { username } }", token=result["token"])
    assert me["data"]["me"]["username"] == picker.username


async def test_a_symbology_prefixed_lowercase_badge_still_signs_in(gql):
    picker = gql.credentials["picker"]
    body = await gql(SIGN_IN_BADGE, {"badge": f" {picker.badge.lower()}\r\n", "pin": picker.pin})
    assert body["data"]["signInWithBadge"]["__typename"] == "SignInSuccess"


@pytest.mark.parametrize(
    ("badge", "code"),
    [
        ("BIN-W1-RCV-01-9", "SCAN_WRONG_KIND"),
        ("BADGE-PICKER1-A", "SCAN_BAD_CHECK_DIGIT"),
        ("", "SCAN_EMPTY"),
        ("hello world", "SCAN_UNKNOWN_FORMAT"),
    ],
)
async def test_bad_badge_scans_are_typed_errors(gql, badge, code):
    body = await gql(SIGN_IN_BADGE, {"badge": badge, "pin": "1234"})
    assert body["data"]["signInWithBadge"]["code"] == code


async def test_failed_sign_ins_are_throttled(gql):
    picker = gql.credentials["picker"]
    wrong = "0000" if picker.pin != "0000" else "9999"
    for _ in range(5):
        body = await gql(SIGN_IN_BADGE, {"badge": picker.badge, "pin": wrong})
        assert body["data"]["signInWithBadge"]["code"] == "INVALID_CREDENTIALS"
    body = await gql(SIGN_IN_BADGE, {"badge": picker.badge, "pin": picker.pin})
    assert body["data"]["signInWithBadge"]["code"] == "TOO_MANY_ATTEMPTS"


async def test_sign_out_ends_the_token(gql):
    token = await gql.token("viewer")
    body = await gql("mutation { signOut { __typename } }", token=token)
    assert body["data"]["signOut"]["__typename"] == "SignOutSuccess"
    body = await gql("{ me { username } }", token=token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_forged_token_is_unauthenticated(gql):
    body = await gql("{ me { username } }", token="WzEsMSwieCJd.forged.signature")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_queries_need_their_permission(gql):
    token = await gql.token("picker")
    body = await gql("{ users(first: 5) { edges { node { username } } } }", token=token)
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_state_changes_are_audited_with_the_device(gql, session):
    from sqlalchemy import select

    from backend.core.db.models import AuditEntry

    token = await gql.token("supervisor")
    body = await gql(
        """mutation($k: String!) { createTask(input: {kind: COUNT, title: "Check A01",
        idempotencyKey: $k}) { __typename ... on TaskSuccess { task { id } } } }""",
        {"k": key()},
        token=token,
    )
    task_id = body["data"]["createTask"]["task"]["id"]
    entry = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "createTask", AuditEntry.entity_id == task_id)
    )
    assert entry is not None and entry.device_id == "test-device" and entry.user_id is not None
