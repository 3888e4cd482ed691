"""Label rendering speed against a thermal printer's pace (about 1 label a second).

    .venv/bin/python bench/labels.py [--batch 100] [--singles 20]

Prints figures; asserts nothing. Measures: the one-off WeasyPrint import,
labels rendered one document at a time, and a batch rendered as ONE document
(as a released wave's labels are), each as labels/s and as a multiple of
the printer's 1 label/s. It also measures how late the event loop runs its
callbacks while a batch renders in a worker thread and in a worker process.

``render_batch_while(probe)`` renders a batch in a worker thread or a
RenderPool process and meanwhile runs the given coroutine over and over,
returning each call's latency (here: a 1 ms sleep, i.e. how late the event
loop gets). The latency of real scan mutations on a running server while it
renders a wave's labels is bench/labels_server.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from backend.printing import samples
from backend.printing.render import DocumentRenderer, RenderPool

PRINTER_LABELS_PER_SECOND = 1.0


@dataclass(frozen=True)
class ProbeResult:
    render_seconds: float
    latencies: tuple[float, ...]

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def render_batch_while(
    probe: Callable[[], Awaitable[object]],
    *,
    labels: int = 100,
    renderer: DocumentRenderer | None = None,
    pool: RenderPool | None = None,
    pause: float = 0.0,
) -> ProbeResult:
    """Render ``labels`` shipping labels as one document, in a worker thread of
    this process (``renderer``) or in a worker process (``pool``), and call
    ``probe`` back to back (``pause`` seconds apart) until it is done."""
    docs = [samples.shipping_label(n) for n in range(1, labels + 1)]
    latencies: list[float] = []
    started = time.perf_counter()
    if pool is not None:
        job = pool.render_many_pdf("shipping_label", docs)
    else:
        job = (renderer or DocumentRenderer()).render_many_pdf_async("shipping_label", docs)
    render = asyncio.create_task(job)
    while not render.done():
        t0 = time.perf_counter()
        await probe()
        latencies.append(time.perf_counter() - t0)
        if pause:
            await asyncio.sleep(pause)
    await render
    return ProbeResult(time.perf_counter() - started, tuple(latencies))


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--singles", type=int, default=20)
    args = parser.parse_args()

    renderer = DocumentRenderer()
    label = samples.shipping_label()
    first = _timed(lambda: renderer.render_pdf("shipping_label", label))
    print(f"first label (imports WeasyPrint, loads fonts): {first * 1000:7.0f} ms")

    singles = [
        _timed(lambda n=n: renderer.render_pdf("shipping_label", samples.shipping_label(n)))
        for n in range(1, args.singles + 1)
    ]
    single = statistics.median(singles)
    print(
        f"one label a document, median of {args.singles}: {single * 1000:7.1f} ms "
        f"= {1 / single:6.1f} labels/s = {1 / single / PRINTER_LABELS_PER_SECOND:5.1f}× "
        "the printer"
    )

    docs = [samples.shipping_label(n) for n in range(1, args.batch + 1)]
    pdf = b""

    def batch_render() -> None:
        nonlocal pdf
        pdf = renderer.render_many_pdf("shipping_label", docs)

    batch = min(_timed(batch_render) for _ in range(2))
    per_label = batch / args.batch
    ratio = args.batch / batch / PRINTER_LABELS_PER_SECOND
    print(
        f"{args.batch} labels as one document: {batch:6.2f} s, {per_label * 1000:5.1f} ms a label "
        f"= {args.batch / batch:6.1f} labels/s = {ratio:5.1f}× the printer "
        f"(target ≥ 10×: {'met' if ratio >= 10 else 'NOT met'}); "
        f"{single / per_label:3.1f}× faster a label than one at a time; "
        f"PDF {len(pdf) / 1024:.0f} KiB"
    )

    async def loop_lag(in_process: bool) -> ProbeResult:
        if not in_process:
            return await render_batch_while(
                lambda: asyncio.sleep(0.001), labels=args.batch, renderer=renderer
            )
        async with RenderPool() as pool:
            await pool.render_pdf("shipping_label", label)  # start and warm the worker
            return await render_batch_while(
                lambda: asyncio.sleep(0.001), labels=args.batch, pool=pool
            )

    for in_process, where in ((False, "a thread of this process"), (True, "a RenderPool process")):
        lag = asyncio.run(loop_lag(in_process))
        print(
            f"event loop while {args.batch} labels render in {where} "
            f"({lag.render_seconds:.1f} s, {len(lag.latencies)} 1-ms sleeps): "
            f"p50 {lag.percentile(50) * 1000:.1f} ms, p99 {lag.percentile(99) * 1000:.1f} ms, "
            f"max {max(lag.latencies) * 1000:.1f} ms"
        )
    print("scan mutations on a real server during a batch render: bench/labels_server.py")


if __name__ == "__main__":
    main()
