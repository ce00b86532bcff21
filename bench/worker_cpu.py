"""CPU time of an app's backend workers, of the bench client, and of the machine, read at moments.

`reflex run --env prod` (Reflex 0.10) is Granian's supervisor: each backend worker is a child
process of it, and the same worker also serves the compiled pages (there is no separate
frontend server at run time; bun only builds). A worker is a child of the `reflex run` process
that is not bun/node or a multiprocessing helper; whatever a worker starts itself counts as its.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

NOT_WORKERS = ("bun", "node", "esbuild")
HELPERS = ("resource_tracker", "forkserver", "semaphore_tracker")


def backend_workers(root_pid: int) -> list[psutil.Process]:
    """The backend workers of the `reflex run` process `root_pid`."""
    workers = []
    for child in psutil.Process(root_pid).children():
        try:
            name, cmdline = child.name(), " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if name.startswith(NOT_WORKERS) or any(helper in cmdline for helper in HELPERS):
            continue
        workers.append(child)
    return workers


def serving_root(url: str) -> int:
    """The `reflex run` process serving `url` (http://host:port): the parent of whoever listens there."""
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port and connection.pid:
            listener = psutil.Process(connection.pid)
            parent = listener.parent()
            is_reflex = parent is not None and any(part.endswith("reflex") for part in parent.cmdline()[:2])
            return parent.pid if is_reflex and "run" in parent.cmdline() else listener.pid
    raise RuntimeError(f"nothing listens on port {port}")


def _cpu_seconds(process: psutil.Process) -> float:
    """user + system of a process and of everything it started (threads included)."""
    total = 0.0
    for member in (process, *process.children(recursive=True)):
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@dataclass(frozen=True)
class Snapshot:
    wall: float
    workers: dict[int, float]  # worker pid -> CPU seconds so far
    client: float  # this process's CPU seconds so far, every thread
    machine_busy: float  # CPU seconds the whole machine was busy, every core, every process
    services: float = 0.0  # PostgreSQL + Redis server processes (0 when not watched)


@dataclass(frozen=True)
class Interval:
    """What happened between two snapshots."""

    wall: float
    workers: dict[int, float] = field(default_factory=dict)
    client: float = 0.0
    machine_busy: float = 0.0
    services: float = 0.0

    @property
    def worker_total(self) -> float:
        return sum(self.workers.values())

    def percent(self, seconds: float) -> float:
        """CPU seconds as a percentage of one core over this interval."""
        return 100 * seconds / self.wall if self.wall else 0.0


def _machine_busy() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _services_cpu() -> float:
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        name, times = process.info["name"] or "", process.info["cpu_times"]
        if times is not None and name.startswith(("postgres", "redis-server")):
            total += times.user + times.system
    return total


class CpuMeter:
    """Snapshots of the workers of one `reflex run` process (found anew each time: Granian may respawn one)."""

    def __init__(self, root_pid: int, *, watch_services: bool = False) -> None:
        self.root_pid = root_pid
        self.watch_services = watch_services
        if not backend_workers(root_pid):
            raise RuntimeError(f"no backend worker under process {root_pid}")

    def snapshot(self) -> Snapshot:
        workers = {}
        for worker in backend_workers(self.root_pid):
            try:
                workers[worker.pid] = _cpu_seconds(worker)
            except psutil.NoSuchProcess:
                continue
        return Snapshot(
            wall=time.perf_counter(),
            workers=workers,
            client=time.process_time(),
            machine_busy=_machine_busy(),
            services=_services_cpu() if self.watch_services else 0.0,
        )


def between(start: Snapshot, end: Snapshot) -> Interval:
    """A worker that appeared in between (a respawn) counts from zero; one that died is lost (rare)."""
    return Interval(
        wall=end.wall - start.wall,
        workers={pid: seconds - start.workers.get(pid, 0.0) for pid, seconds in end.workers.items()},
        client=end.client - start.client,
        machine_busy=end.machine_busy - start.machine_busy,
        services=end.services - start.services,
    )


EVENT_LOOP, POOL, GRANIAN = "event loop (main thread)", "other Python threads (asyncio's pool)", "Granian (Rust)"


def thread_cpu(pid: int) -> dict[str, tuple[float, float]]:
    """(user, system) CPU seconds of a worker's threads by kind: the main thread runs the event loop;
    Python's other threads (the pool that `asyncio.to_thread` feeds) share the process's name, as
    Python 3.11 does not name OS threads; Granian's Rust runtime threads are `tokio-*`."""
    by_kind: dict[str, tuple[float, float]] = {}
    for thread in psutil.Process(pid).threads():
        try:
            name = Path(f"/proc/{pid}/task/{thread.id}/comm").read_text().strip()
        except OSError:
            continue
        kind = EVENT_LOOP if thread.id == pid else GRANIAN if name.startswith("tokio") else POOL
        user, system = by_kind.get(kind, (0.0, 0.0))
        by_kind[kind] = (user + thread.user_time, system + thread.system_time)
    return by_kind
