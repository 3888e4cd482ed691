"""Handhelds report their outbox; a supervisor lists the devices with unsent work, only
those of people in their own warehouses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.core.auth.service import create_user
from backend.core.db import models as m

REPORT = """mutation($input: ReportDeviceSyncInput!) { reportDeviceSync(input: $input) {
  __typename
  ... on ReportDeviceSyncSuccess { device { deviceId username waiting conflicts conflictCodes
      oldestWaitingAt lastSeenAt } }
  ... on UserError { code message field } } }"""

LIST = """query($all: Boolean!) { deviceSyncStates(includeClear: $all) {
  deviceId username displayName waiting conflicts conflictCodes oldestWaitingAt lastSeenAt appVersion } }"""


async def sign_in(gql, username: str, password: str, device: str) -> str:
    body = await gql(
        """mutation($u: String!, $p: String!, $d: String!) { signIn(input: {username: $u,
        password: $p, deviceId: $d}) { __typename ... on SignInSuccess { token } } }""",
        {"u": username, "p": password, "d": device},
    )
    assert body["data"]["signIn"]["__typename"] == "SignInSuccess", body
    return str(body["data"]["signIn"]["token"])


async def report(gql, token: str, **fields):
    body = await gql(REPORT, {"input": fields}, token=token)
    return body["data"]["reportDeviceSync"]


async def listed(gql, token: str, include_clear: bool = False) -> dict[str, dict]:
    body = await gql(LIST, {"all": include_clear}, token=token)
    assert "errors" not in body, body
    return {d["deviceId"]: d for d in body["data"]["deviceSyncStates"]}


async def test_reports_are_listed_for_supervisors_of_the_same_warehouse(gql, session):
    creds = gql.credentials
    picker = await sign_in(gql, creds["picker"].username, creds["picker"].password, "pda-7")
    receiver = await sign_in(gql, creds["receiver"].username, creds["receiver"].password, "pda-9")
    supervisor = await gql.token("supervisor")

    oldest = datetime.now(UTC) - timedelta(minutes=12)
    r = await report(
        gql,
        picker,
        waiting=6,
        conflicts=1,
        conflictCodes=["INVALID_STATE"],
        oldestWaitingAt=oldest.isoformat(),
        appVersion="1.4.0",
    )
    assert r["__typename"] == "ReportDeviceSyncSuccess", r
    assert r["device"]["deviceId"] == "pda-7"
    assert r["device"]["username"] == creds["picker"].username
    assert (await report(gql, receiver, waiting=0, conflicts=0))["__typename"] == (
        "ReportDeviceSyncSuccess"
    )

    devices = await listed(gql, supervisor)
    assert set(devices) == {"pda-7"}, "a device with an empty outbox is left out"
    d = devices["pda-7"]
    assert (d["waiting"], d["conflicts"], d["conflictCodes"]) == (6, 1, ["INVALID_STATE"])
    assert abs(datetime.fromisoformat(d["oldestWaitingAt"]) - oldest) < timedelta(seconds=1)
    assert d["appVersion"] == "1.4.0"
    assert set(await listed(gql, supervisor, include_clear=True)) == {"pda-7", "pda-9"}

    # The next report replaces the last: the work reached the server.
    await report(gql, picker, waiting=0, conflicts=0)
    assert await listed(gql, supervisor) == {}
    row = await session.get(m.DeviceSync, "pda-7", populate_existing=True)
    assert row is not None and row.waiting == 0 and row.oldest_waiting_at is None
    await session.commit()

    # A floor role may report but not read the list.
    body = await gql(LIST, {"all": True}, token=picker)
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED", body


async def test_a_supervisor_of_another_warehouse_sees_none_of_these_devices(gql, session):
    creds = gql.credentials
    picker = await sign_in(gql, creds["picker"].username, creds["picker"].password, "pda-1")
    await report(gql, picker, waiting=3, conflicts=0)

    w2 = m.Warehouse(code="W2", name="Second DC", timezone="UTC")
    session.add(w2)
    await session.flush()
    await create_user(
        session,
        username="w2sup",
        display_name="W2 supervisor",
        password="w2-supervisor-password",
        roles=["supervisor"],
        warehouse_ids=[w2.id],
    )
    await create_user(
        session,
        username="w2picker",
        display_name="W2 picker",
        password="w2-picker-password",
        roles=["picker"],
        warehouse_ids=[w2.id],
    )
    await session.commit()
    outsider = await sign_in(gql, "w2sup", "w2-supervisor-password", "desk-w2")
    theirs = await sign_in(gql, "w2picker", "w2-picker-password", "pda-w2")
    await report(gql, theirs, waiting=2, conflicts=2, conflictCodes=["WRONG_BIN", "INVALID_STATE"])

    assert set(await listed(gql, outsider, include_clear=True)) == {"pda-w2"}
    assert (await listed(gql, outsider))["pda-w2"]["conflictCodes"] == [
        "INVALID_STATE",
        "WRONG_BIN",
    ]
    mine = await listed(gql, await gql.token("supervisor"), include_clear=True)
    assert "pda-1" in mine and "pda-w2" not in mine


async def test_bad_reports_are_refused_and_change_nothing(gql, session):
    creds = gql.credentials
    picker = await sign_in(gql, creds["picker"].username, creds["picker"].password, "pda-2")
    assert (await report(gql, picker, waiting=2, conflicts=0))["__typename"] == (
        "ReportDeviceSyncSuccess"
    )
    for fields, code, field in [
        ({"waiting": -1, "conflicts": 0}, "INVALID_QUANTITY", "waiting"),
        ({"waiting": 1, "conflicts": 2}, "INVALID_QUANTITY", "conflicts"),
        (
            {"waiting": 1, "conflicts": 1, "conflictCodes": ["no spaces"]},
            "INVALID_INPUT",
            "conflictCodes",
        ),
    ]:
        r = await report(gql, picker, **fields)
        assert (r["code"], r["field"]) == (code, field), r
    row = await session.scalar(
        select(m.DeviceSync)
        .where(m.DeviceSync.device_id == "pda-2")
        .execution_options(populate_existing=True)
    )
    assert row is not None and (row.waiting, row.conflicts) == (2, 0)
    await session.commit()
