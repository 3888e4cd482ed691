"""The print queue: a raw-9100 job reaches a listener, retries, failures with reasons."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.config import Settings
from backend.core.db import models as m
from backend.documents.service import PrintWorker
from backend.printing.printers import RetryPolicy
from tests.integration.conftest import key
from tests.integration.test_printers import FakePrinterPort
from tests.integration.test_shipping import SHIP, packed_order, ship_vars


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The site's template folder (WMS_TEMPLATE_DIR), empty: built-in templates apply."""
    folder = tmp_path / "site-templates"
    folder.mkdir()
    return dataclasses.replace(settings, template_dir=folder)


SAVE_PRINTER = """mutation($name: String!, $kind: PrinterConnection!, $address: String!) {
  savePrinter(input: {name: $name, kind: $kind, address: $address, station: "DOCK-1"}) {
    __typename
    ... on SavePrinterSuccess { printer { id name kind address station } }
    ... on UserError { code message field }
  }
}"""

PRINT = """mutation($kind: DocumentKind!, $target: String!, $printer: ID, $station: String,
                  $copies: Int!, $key: String!) {
  printDocument(input: {kind: $kind, target: $target, printerId: $printer, station: $station,
                        copies: $copies, idempotencyKey: $key}) {
    __typename
    ... on PrintJobSuccess { job { id state attempts printerName documentKind target } }
    ... on UserError { code message field }
  }
}"""

RETRY = """mutation($job: ID!, $key: String!) {
  retryPrintJob(input: {jobId: $job, idempotencyKey: $key}) {
    __typename
    ... on PrintJobSuccess { job { id state attempts } }
    ... on UserError { code message field }
  }
}"""

JOBS = """query($state: String) { printJobs(first: 20, state: $state) { edges { node {
  id state attempts lastError documentKind target } } } }"""


async def save_printer(gql, address: str, name: str = "dock-zebra") -> str:  # type: ignore[no-untyped-def]
    admin = await gql.token("admin")
    body = await gql(
        SAVE_PRINTER, {"name": name, "kind": "RAW_TCP", "address": address}, token=admin
    )
    result = body["data"]["savePrinter"]
    assert result["__typename"] == "SavePrinterSuccess", result
    return result["printer"]["id"]  # type: ignore[no-any-return]


async def print_doc(gql, token, kind, target, **extra):  # type: ignore[no-untyped-def]
    variables = {"kind": kind, "target": str(target), "copies": 1, "key": key(), **extra}
    return (await gql(PRINT, variables, token=token))["data"]["printDocument"]


async def job_row(app, job_id: str) -> m.PrintJob:  # type: ignore[no-untyped-def]
    async with app.state.wms.sessions() as db:
        row = await db.scalar(select(m.PrintJob).where(m.PrintJob.id == int(job_id)))
        assert row is not None
        return row


async def shipped_carton(gql, session) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    order, _ = await packed_order(gql, session)
    token = await gql.token("shipper")
    shipment = (await gql(SHIP, ship_vars([order.order_id]), token=token))["data"]["ship"][
        "shipment"
    ]
    await session.rollback()
    return shipment["cartons"][0]["id"], shipment["trackingNumber"]


async def test_a_raw_9100_job_through_the_queue_reaches_the_printer(gql, session, app):
    carton_id, _tracking = await shipped_carton(gql, session)
    listener = FakePrinterPort()
    async with listener as port:
        await save_printer(gql, f"127.0.0.1:{port}")
        token = await gql.token("shipper")
        queued = await print_doc(gql, token, "SHIPPING_LABEL", carton_id, station="DOCK-1")
        assert queued["__typename"] == "PrintJobSuccess", queued
        assert queued["job"]["state"] == "QUEUED" and queued["job"]["printerName"] == "dock-zebra"
        worker = PrintWorker(app.state.wms)
        assert await worker.run_once()
        received = await asyncio.wait_for(listener.jobs.get(), 10)
    assert received.startswith(b"%PDF")
    job = await job_row(app, queued["job"]["id"])
    assert (job.state, job.attempts, job.bytes_sent) == ("DONE", 1, len(received))
    jobs = (await gql(JOBS, {"state": "DONE"}, token=token))["data"]["printJobs"]["edges"]
    assert [e["node"]["id"] for e in jobs] == [queued["job"]["id"]]
    assert not await worker.run_once()  # nothing else due


async def test_a_printer_that_is_down_is_retried_with_backoff(gql, session, app):
    carton_id, _ = await shipped_carton(gql, session)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens once closed
    printer_id = await save_printer(gql, f"127.0.0.1:{port}", name="offline")
    token = await gql.token("packer")
    queued = await print_doc(gql, token, "CARTON_LABEL", carton_id, printer=printer_id)
    worker = PrintWorker(app.state.wms, policy=RetryPolicy(max_attempts=2, base_delay=0))
    assert await worker.run_once()
    job = await job_row(app, queued["job"]["id"])
    assert job.state == "RETRYING" and job.attempts == 1 and str(port) in (job.last_error or "")
    assert await worker.run_once()  # due at once (no delay): the last attempt fails for good
    job = await job_row(app, queued["job"]["id"])
    assert job.state == "FAILED" and job.attempts == 2
    assert [h["outcome"] for h in job.history] == ["RETRY", "FAILED"]


async def test_a_broken_template_fails_the_job_clearly_and_the_shipment_can_be_reprinted(
    gql, session, app, settings
):
    carton_id, _ = await shipped_carton(gql, session)
    broken = settings.template_dir / "shipping_label.html.j2"
    broken.write_text("{{ no_such_value.at_all }}")
    listener = FakePrinterPort()
    async with listener as port:
        await save_printer(gql, f"127.0.0.1:{port}")
        token = await gql.token("shipper")
        queued = await print_doc(gql, token, "SHIPPING_LABEL", carton_id, station="DOCK-1")
        worker = PrintWorker(app.state.wms)
        assert await worker.run_once()
        job = await job_row(app, queued["job"]["id"])
        assert job.state == "FAILED" and job.attempts == 1
        assert "template failed" in job.last_error and "no_such_value" in job.last_error
        assert listener.jobs.empty()
        # The shipment is untouched; fix the template and print the same job again.
        assert await session.scalar(select(m.Shipment.id)) is not None
        await session.rollback()
        broken.unlink()
        retried = (await gql(RETRY, {"job": queued["job"]["id"], "key": key()}, token=token))[
            "data"
        ]["retryPrintJob"]
        assert retried["job"]["state"] == "QUEUED"
        assert await worker.run_once()
        assert (await asyncio.wait_for(listener.jobs.get(), 10)).startswith(b"%PDF")
    assert (await job_row(app, queued["job"]["id"])).state == "DONE"


async def test_bad_print_requests_are_typed_errors(gql, session, app):
    carton_id, _ = await shipped_carton(gql, session)
    token = await gql.token("shipper")
    cases = [
        ({"target": carton_id}, "INVALID_INPUT"),  # neither printer nor station
        ({"target": carton_id, "station": "NOWHERE"}, "PRINTER_NOT_FOUND"),
        ({"target": carton_id, "printer": "424242"}, "PRINTER_NOT_FOUND"),
        ({"target": "999999", "station": "DOCK-1"}, "DOCUMENT_NOT_FOUND"),
        ({"target": "drop table", "station": "DOCK-1"}, "INVALID_INPUT"),
    ]
    for extra, code in cases:
        target = extra.pop("target")
        result = await print_doc(gql, token, "SHIPPING_LABEL", target, **extra)
        assert result["code"] == code, (extra, result)
    await save_printer(gql, "127.0.0.1:9")
    too_many = await print_doc(
        gql, token, "SHIPPING_LABEL", carton_id, station="DOCK-1", copies=500
    )
    assert too_many["code"] == "INVALID_QUANTITY"
    viewer = await gql.token("viewer")
    denied = await print_doc(gql, viewer, "SHIPPING_LABEL", carton_id, station="DOCK-1")
    assert denied["__typename"] == "PermissionDenied"
    admin = await gql.token("admin")
    bad_address = await gql(
        SAVE_PRINTER, {"name": "x", "kind": "RAW_TCP", "address": "host:99999"}, token=admin
    )
    assert bad_address["data"]["savePrinter"]["code"] == "INVALID_INPUT"
    retry_unknown = await gql(RETRY, {"job": "777", "key": key()}, token=token)
    assert retry_unknown["data"]["retryPrintJob"]["code"] == "PRINT_JOB_NOT_FOUND"
