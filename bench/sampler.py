"""The project's server (bench/counted_app.py) with a sampling profiler of its event loop.

    python -m bench.sampler --port 8123 --out /tmp/samples.json   (DATABASE_URL etc. as for wms serve)

SIGUSR1 starts sampling, SIGUSR2 stops and writes ``--out``: a thread inside the
process looks at the event loop thread's stack every millisecond (the switch
interval is lowered so it gets the GIL). Counted: the innermost frame's package
(``asyncio`` is the loop itself: idle, uvloop, or compiled protocol code such as
asyncpg's, which has no Python frame), the innermost functions, and the
project's functions anywhere on the stack. Frames inside SQLAlchemy's greenlets
are not linked to their callers, so project shares are lower bounds. One worker.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

PACKAGES = (
    "sqlalchemy", "asyncpg", "graphql", "strawberry", "starlette", "uvicorn", "greenlet", "json",
    "asyncio",
)  # fmt: skip


def package(filename: str) -> str:
    for name in PACKAGES:
        if f"/{name}/" in filename:
            return name
    if "/backend/" in filename:
        return "backend"
    return "other"


class Sampler:
    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.on = False
        self.total = 0
        self.packages: Counter[str] = Counter()
        self.leaves: Counter[str] = Counter()
        self.project: Counter[str] = Counter()

    def run(self) -> None:
        while True:
            time.sleep(0.001)
            if self.on:
                frame = sys._current_frames().get(self.thread_id)
                if frame is not None:
                    self.sample(frame)

    def sample(self, frame: FrameType) -> None:
        self.total += 1
        code = frame.f_code
        self.packages[package(code.co_filename)] += 1
        self.leaves[f"{package(code.co_filename)} {code.co_name}"] += 1
        seen: set[str] = set()
        current: FrameType | None = frame
        while current is not None:
            name = current.f_code.co_filename
            if "/backend/" in name:
                seen.add(f"{name.split('/backend/', 1)[1]}:{current.f_code.co_name}")
            current = current.f_back
        self.project.update(seen)

    def dump(self, out: Path) -> None:
        result: dict[str, Any] = {
            "samples": self.total,
            "packages": self.packages.most_common(),
            "leaves": self.leaves.most_common(40),
            "project": self.project.most_common(40),
        }
        out.write_text(json.dumps(result, indent=1))


def summary(path: Path) -> str:
    """Shares of the Python time (samples not in the loop itself)."""
    data = json.loads(path.read_text())
    idle = dict(data["packages"]).get("asyncio", 0)
    busy = max(1, data["samples"] - idle)
    lines = [f"{data['samples']} samples, loop itself {100 * idle / max(1, data['samples']):.0f}%"]
    for title in ("packages", "leaves", "project"):
        lines.append(f"-- {title} (% of Python time)")
        lines += [
            f"{100 * n / busy:6.1f}%  {name}"
            for name, n in data[title][:25]
            if name not in ("asyncio", "asyncio run")
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sampler = Sampler(threading.get_ident())

    def start(*_: Any) -> None:
        sampler.on = True

    def stop(*_: Any) -> None:
        sampler.on = False
        sampler.dump(args.out)

    def leave(*_: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    signal.signal(signal.SIGTERM, leave)  # uvicorn re-raises it after its shutdown
    sys.setswitchinterval(0.0005)
    threading.Thread(target=sampler.run, daemon=True).start()
    uvicorn.run(
        "bench.counted_app:create_app",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
