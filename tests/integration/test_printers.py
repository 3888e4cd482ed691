"""A raw port-9100 job arrives byte for byte at a listening socket."""

import asyncio
import os
import socket

import pytest

from backend.printing import samples
from backend.printing.printers import PrinterError, RawTcpPrinter
from backend.printing.render import DocumentRenderer


class FakePrinterPort:
    """An asyncio listener on 127.0.0.1 that records each connection's bytes."""

    def __init__(self) -> None:
        self.jobs: asyncio.Queue[bytes] = asyncio.Queue()
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = await reader.read()  # until the sender's EOF
        await self.jobs.put(data)
        writer.close()
        await writer.wait_closed()

    async def __aenter__(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_raw_job_is_received_byte_for_byte():
    port_listener = FakePrinterPort()
    async with port_listener as port:
        printer = RawTcpPrinter("127.0.0.1", port, timeout=5)
        pdf = await DocumentRenderer().render_pdf_async("shipping_label", samples.shipping_label())
        zpl = b"^XA^FO50,50^BCN,100,Y,N,N^FD>;1234567890^FS^XZ\r\n"
        big = os.urandom(3 * 1024 * 1024)  # larger than socket buffers
        for data, name in ((pdf, "label"), (zpl, "zpl"), (big, "big")):
            result = await printer.send(data, name)
            received = await asyncio.wait_for(port_listener.jobs.get(), 5)
            assert received == data
            assert result.bytes_sent == len(data) and result.job_name == name


async def test_closed_port_is_a_printer_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free now, nobody listening once closed
    with pytest.raises(PrinterError) as info:
        await RawTcpPrinter("127.0.0.1", port, timeout=2).send(b"^XA^XZ", "job")
    assert f"127.0.0.1:{port}" in str(info.value)
    assert info.value.transient


async def test_silent_host_times_out():
    # a listener that accepts the connection but never reads: the transfer stalls
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    server = await asyncio.start_server(stall, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(PrinterError, match=r"within 0\.5 s"):
            await RawTcpPrinter("127.0.0.1", port, timeout=0.5).send(
                os.urandom(64 * 1024 * 1024), "stalls"
            )
    finally:
        server.close()
