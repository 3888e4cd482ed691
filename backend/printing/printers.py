"""Printer adapters: a CUPS queue (``lp``) or a raw TCP socket (port 9100).

One interface, ``await printer.send(data, job_name) -> PrintResult``. A send
either hands the whole job to the printer (or spooler) or raises
``PrinterError``; it never reports success it did not get. Retrying and job
status belong to the print queue kept in the database; ``RetryPolicy`` is the
pure backoff schedule it can use.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable


class PrinterKind(StrEnum):
    CUPS = "cups"
    RAW_TCP = "raw_tcp"


@dataclass(frozen=True)
class PrintResult:
    printer: str
    job_name: str
    bytes_sent: int
    job_id: str | None = None  # the spooler's id (CUPS), None for raw sockets
    detail: str = ""


class PrinterError(Exception):
    """A job did not reach the printer. ``transient`` errors are worth retrying."""

    def __init__(self, printer: str, reason: str, *, transient: bool = True) -> None:
        super().__init__(f"printer {printer}: {reason}")
        self.printer = printer
        self.reason = reason
        self.transient = transient


@runtime_checkable
class Printer(Protocol):
    name: str

    async def send(self, data: bytes, job_name: str) -> PrintResult: ...


_LP_REQUEST_ID = re.compile(r"request id is (\S+)")


class CupsPrinter:
    """Print through the CUPS command-line client: ``lp -d QUEUE``.

    PDF is filtered by CUPS for the printer; ``raw=True`` passes the bytes
    unchanged (ZPL, EPL, PCL for a raw queue).
    """

    def __init__(
        self,
        queue: str,
        *,
        raw: bool = False,
        copies: int = 1,
        timeout: float = 30.0,
        lp_command: str = "lp",
        name: str | None = None,
    ) -> None:
        if not queue:
            raise ValueError("a CUPS printer needs a queue name")
        if copies < 1:
            raise ValueError("copies must be at least 1")
        self.queue = queue
        self.raw = raw
        self.copies = copies
        self.timeout = timeout
        self.lp_command = lp_command
        self.name = name or f"cups:{queue}"

    def command(self, job_name: str) -> list[str]:
        lp = shutil.which(self.lp_command)
        if lp is None:
            raise PrinterError(
                self.name,
                f"the CUPS client command {self.lp_command!r} was not found on PATH "
                "(install the cups-client package, or use a raw TCP printer)",
                transient=False,
            )
        args = [lp, "-d", self.queue, "-t", job_name, "-n", str(self.copies)]
        if self.raw:
            args += ["-o", "raw"]
        return [*args, "--", "-"]

    async def send(self, data: bytes, job_name: str) -> PrintResult:
        if not data:
            raise PrinterError(self.name, "nothing to print (empty job)", transient=False)
        args = self.command(job_name)
        try:
            process = await asyncio.create_subprocess_exec(
                *args,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:
            raise PrinterError(self.name, f"cannot run {args[0]}: {exc}", transient=False) from exc
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(data), self.timeout)
        except TimeoutError as exc:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise PrinterError(self.name, f"lp did not finish within {self.timeout:g} s") from exc
        out = stdout.decode(errors="replace").strip()
        err = stderr.decode(errors="replace").strip()
        if process.returncode != 0:
            raise PrinterError(
                self.name, f"lp failed (exit {process.returncode}): {err or out or 'no message'}"
            )
        match = _LP_REQUEST_ID.search(out)
        return PrintResult(
            printer=self.name,
            job_name=job_name,
            bytes_sent=len(data),
            job_id=match.group(1) if match else None,
            detail=out,
        )


class RawTcpPrinter:
    """Send the bytes to a network printer's raw port (JetDirect / AppSocket, 9100).

    The printer must understand the bytes: ZPL/EPL for most thermal printers,
    PDF or PCL for office printers that accept them directly.
    """

    def __init__(
        self,
        host: str,
        port: int = 9100,
        timeout: float = 10.0,
        *,
        name: str | None = None,
    ) -> None:
        if not host:
            raise ValueError("a raw TCP printer needs a host")
        if not 0 < port < 65536:
            raise ValueError(f"invalid TCP port {port}")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.name = name or f"tcp://{host}:{port}"

    async def send(self, data: bytes, job_name: str) -> PrintResult:
        if not data:
            raise PrinterError(self.name, "nothing to print (empty job)", transient=False)
        writer: asyncio.StreamWriter | None = None
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
                writer.write(data)
                await writer.drain()
                if writer.can_write_eof():
                    writer.write_eof()
                # let the printer close first (or stay quiet a moment): closing with
                # unread bytes from it would reset the connection and could drop the job
                with contextlib.suppress(TimeoutError, ConnectionError):
                    async with asyncio.timeout(min(0.5, self.timeout)):
                        await reader.read()
                writer.close()
                with contextlib.suppress(ConnectionError):
                    await writer.wait_closed()
        except TimeoutError as exc:
            _abort(writer)
            raise PrinterError(
                self.name, f"no connection or transfer within {self.timeout:g} s"
            ) from exc
        except OSError as exc:
            _abort(writer)
            raise PrinterError(self.name, f"{exc.strerror or exc}") from exc
        except BaseException:
            _abort(writer)
            raise
        return PrintResult(printer=self.name, job_name=job_name, bytes_sent=len(data))


def _abort(writer: asyncio.StreamWriter | None) -> None:
    """Drop the connection at once: a plain close would wait to flush unsent bytes."""
    if writer is not None:
        writer.transport.abort()


@dataclass(frozen=True)
class PrinterConfig:
    """How to reach one printer; stored with the print station's settings."""

    name: str
    kind: PrinterKind
    queue: str = ""  # CUPS
    host: str = ""  # raw TCP
    port: int = 9100
    timeout: float = 10.0
    raw: bool = False  # CUPS: pass the bytes unfiltered
    copies: int = 1


def printer_from_config(config: PrinterConfig) -> Printer:
    kind = PrinterKind(config.kind)
    if kind is PrinterKind.CUPS:
        return CupsPrinter(
            config.queue,
            raw=config.raw,
            copies=config.copies,
            timeout=config.timeout,
            name=config.name,
        )
    return RawTcpPrinter(config.host, config.port, config.timeout, name=config.name)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff for print jobs: ``delay(1)`` is the wait before the 2nd try."""

    max_attempts: int = 5
    base_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 120.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay < 0 or self.factor < 1:
            raise ValueError("invalid retry policy")

    def delay(self, attempt: int) -> float | None:
        """Seconds to wait after failed ``attempt`` (1-based); None when it is the last."""
        if attempt < 1:
            raise ValueError("attempts count from 1")
        if attempt >= self.max_attempts:
            return None
        return min(self.base_delay * self.factor ** (attempt - 1), self.max_delay)

    def schedule(self) -> tuple[float, ...]:
        return tuple(d for a in range(1, self.max_attempts) if (d := self.delay(a)) is not None)

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        transient = not isinstance(error, PrinterError) or error.transient
        return transient and self.delay(attempt) is not None


def lp_available() -> bool:
    return shutil.which("lp", path=os.environ.get("PATH")) is not None
