import stat

import pytest

from backend.printing.printers import (
    CupsPrinter,
    PrinterConfig,
    PrinterError,
    PrinterKind,
    RawTcpPrinter,
    RetryPolicy,
    printer_from_config,
)


def _script(folder, name, body):
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


async def test_cups_without_lp_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no lp anywhere
    with pytest.raises(PrinterError) as info:
        await CupsPrinter("labels").send(b"%PDF-1.7", "label SO-1")
    assert "'lp' was not found" in str(info.value)
    assert "cups-client" in str(info.value)
    assert not info.value.transient


async def test_cups_hands_the_job_to_lp(tmp_path, monkeypatch):
    received = tmp_path / "received.bin"
    args = tmp_path / "args.txt"
    _script(tmp_path, "lp", f'echo "$@" > {args}\ncat > {received}\n'
            'echo "request id is labels-42 (1 file(s))"\n')  # fmt: skip
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")  # the fake lp comes first
    data = bytes(range(256)) * 10
    result = await CupsPrinter("labels", raw=True, copies=2).send(data, "wave 7")
    assert received.read_bytes() == data
    assert result.job_id == "labels-42" and result.bytes_sent == len(data)
    assert args.read_text().split() == ["-d", "labels", "-t", "wave", "7", "-n", "2",
                                        "-o", "raw", "--", "-"]  # fmt: skip


async def test_cups_failure_is_reported_not_hidden(tmp_path, monkeypatch):
    _script(tmp_path, "lp", 'cat > /dev/null\necho "lp: The printer or class does not exist." >&2\n'
            "exit 1\n")  # fmt: skip
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(PrinterError, match=r"exit 1\): lp: The printer or class does not exist"):
        await CupsPrinter("nope").send(b"x", "job")


async def test_empty_job_is_refused():
    with pytest.raises(PrinterError, match="empty job"):
        await RawTcpPrinter("127.0.0.1", 9).send(b"", "job")


def test_printer_from_config():
    cups = printer_from_config(PrinterConfig(name="Dock 3", kind=PrinterKind.CUPS, queue="zebra"))
    assert isinstance(cups, CupsPrinter) and cups.queue == "zebra" and cups.name == "Dock 3"
    raw = printer_from_config(
        PrinterConfig(name="Pack 1", kind=PrinterKind.RAW_TCP, host="10.0.0.7", timeout=3)
    )
    assert isinstance(raw, RawTcpPrinter) and (raw.host, raw.port, raw.timeout) == (
        "10.0.0.7", 9100, 3)  # fmt: skip
    with pytest.raises(ValueError):
        printer_from_config(PrinterConfig(name="x", kind=PrinterKind.CUPS))
    with pytest.raises(ValueError):
        printer_from_config(PrinterConfig(name="x", kind="lpd"))  # type: ignore[arg-type]


def test_retry_policy_backs_off_exponentially_and_stops():
    policy = RetryPolicy(max_attempts=6, base_delay=2, factor=2, max_delay=20)
    assert policy.schedule() == (2, 4, 8, 16, 20)
    assert policy.delay(6) is None
    assert policy.should_retry(PrinterError("p", "connection refused"), 1)
    assert not policy.should_retry(PrinterError("p", "no lp", transient=False), 1)
    assert not policy.should_retry(PrinterError("p", "connection refused"), 6)
