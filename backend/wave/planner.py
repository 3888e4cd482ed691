"""Where a wave's plan is computed: a separate process, so the server keeps answering.

Planning a large wave is seconds of pure-Python CPU. In a worker thread it still holds
the GIL for most of that time, and every scan the server answers meanwhile waits for
it; in a spawned process it costs the server's process nothing. The inputs and the plan
travel pickled (frozen dataclasses), a few hundred kilobytes for 1,000 orders.

``processes=0`` (the default of a Settings built in code, as tests do) plans in a worker
thread instead: no process start per test app.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from backend.routing.batching import CartLimits
from backend.wave import planning


def _lower_priority(nice: int) -> None:
    if nice > 0 and hasattr(os, "nice"):
        # A plan is batch work: on a busy machine the server's scans go first.
        os.nice(nice)


class PlanPool:
    def __init__(self, processes: int, *, nice: int = 5) -> None:
        if processes < 0:
            raise ValueError("plan processes must be zero or more")
        self.processes = processes
        self._nice = nice
        self._executor: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        # Started on the first plan: most server starts never plan a wave.
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
                initargs=(self._nice,),
            )
        return self._executor

    async def compute(
        self,
        inputs: planning.PlanInputs,
        limits: CartLimits,
        method: planning.PlanMethod,
        setup_metres: float,
    ) -> planning.PlannedWave:
        if self.processes == 0:
            return await asyncio.to_thread(planning.compute, inputs, limits, method, setup_metres)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._started(), planning.compute, inputs, limits, method, setup_metres
        )

    def worker_pids(self) -> list[int]:
        """The running planning processes (none before the first plan)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(pid for pid, process in processes.items() if process.is_alive())

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)
