"""py-spy profiles of the backend worker while residents open dashboards, then while they submit readings.

    .venv/bin/python -m bench.profile_worker [--residents 50] [--seconds 20] [--rate 100] [--out docs/profiles]

The cabinet as `make run` serves it (SQLite, one worker; `--stack`: PostgreSQL + Redis, one worker, and
each resident with an account of their own, as in `bench/scale_out.py`).
For each of the two phases (`bench/phases.py`: every resident doing only that event for seconds+2 s)
py-spy records the worker for `--seconds` twice at once, in speedscope (`<kind>-<n>.speedscope.json`)
and flamegraph (`<kind>-<n>.svg`) format, both `--nonblocking` (two tracers cannot both stop one
process) and `--gil`: only the thread holding the GIL is sampled, so the samples are the worker's
Python time, one thread at a time. Without it every thread merely waiting for the GIL or for a core
of this shared machine counts as busy, and the pool's threads swamp the profile. What runs without
the GIL (SQLite's C engine, Granian's Rust threads, the kernel) is the worker's CPU less the GIL
time, printed beside each summary (`bench/profile_summary.py`). Use the CPU per event of
`bench.events`, not the one printed here (py-spy reads the worker's memory meanwhile).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import profile_summary
from bench.cabinet_residents import seed
from bench.events import cabinet_subject
from bench.phases import Phase, PhaseResult, run_phases
from bench.worker_cpu import EVENT_LOOP, POOL, backend_workers, thread_cpu
from tests.e2e.server import run_app

PY_SPY = Path(sys.executable).parent / "py-spy"


def _spy(pid: int, target: Path, seconds: float, rate: int) -> list[subprocess.Popen]:
    common = [str(PY_SPY), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", str(rate)]
    common += ["--nonblocking", "--gil"]
    return [
        subprocess.Popen(
            [*common, "--format", fmt, "-o", f"{target}{suffix}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for fmt, suffix in (("speedscope", ".speedscope.json"), ("flamegraph", ".svg"))
    ]


@contextlib.contextmanager
def _app(stack: bool):
    if not stack:
        with run_app() as app:
            yield app
        return
    from bench.scale_out import empty_redis_database
    from tests.conftest import create_postgres_database, drop_postgres_database

    database_url = create_postgres_database()
    redis_url, client = empty_redis_database()
    try:
        with run_app(database_url=database_url, redis_url=redis_url, workers=1) as app:
            yield app
    finally:
        client.flushdb()
        client.close()
        drop_postgres_database(database_url)


class Recording:
    """py-spy in two formats and the worker's CPU by thread, over the same seconds of one phase."""

    def __init__(self, pid: int, target: Path, seconds: float, rate: int) -> None:
        self.pid, self.target, self.seconds, self.rate = pid, target, seconds, rate
        self.spies: list[subprocess.Popen] = []
        self.threads: list[dict[str, tuple[float, float]]] = []

    def start(self) -> None:
        self.spies = _spy(self.pid, self.target, self.seconds, self.rate)
        self.threads.append(thread_cpu(self.pid))
        threading.Timer(self.seconds, lambda: self.threads.append(thread_cpu(self.pid))).start()

    def wait(self) -> None:
        for process in self.spies:
            if process.wait(60) != 0:
                print(process.stderr.read().decode(errors="replace"), file=sys.stderr)

    def report(self, result: PhaseResult) -> str:
        """The worker's CPU by thread beside the GIL's samples, then the profile's summary, per event.

        The summary's ms/event spread the Python time (GIL samples, at most the threads' CPU: a GIL
        holder waiting for a core of this shared machine is still sampled) over the profile's shares."""
        path = Path(f"{self.target}.speedscope.json")
        total, inclusive, _ = profile_summary.summarize(path)
        events = result.events * self.seconds / result.interval.wall  # the phase runs steadily: events recorded
        before, after = self.threads
        cpu = {
            name: (u - before.get(name, (0, 0))[0], s - before.get(name, (0, 0))[1]) for name, (u, s) in after.items()
        }
        lines = [
            f"{result.label}: {result.events} events in {result.interval.wall:.1f} s, {result.worker_ms():.2f} ms "
            f"of worker CPU each (profiled); the worker at {sum(map(sum, cpu.values())) / self.seconds:.0%} of a core, "
            f"a thread holding the GIL {total / self.seconds:.0%} of the time",
            "",
            "| thread | user ms/event | sys ms/event | GIL samples ms/event |",
            "| --- | ---: | ---: | ---: |",
        ]
        gil = {POOL: inclusive["thread pool (services, SQL)"], EVENT_LOOP: inclusive["event loop (MainThread)"]}
        for name, (user, system) in sorted(cpu.items(), key=lambda item: -sum(item[1])):
            held = 1000 * gil.get(name, float("nan")) / events
            lines.append(f"| {name} | {1000 * user / events:.2f} | {1000 * system / events:.2f} | {held:.2f} |")
        python = min(total, sum(map(sum, cpu.values())))
        return "\n".join([*lines, "", profile_summary.report(path, 1000 * python / events)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("docs/profiles"))
    parser.add_argument("--stack", action="store_true", help="PostgreSQL + Redis instead of SQLite (one worker)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"{args.residents}{'-stack' if args.stack else ''}"
    with _app(args.stack) as app:
        subject, events = cabinet_subject(app, seed(app, args.residents, own_accounts=args.stack))
        [worker] = backend_workers(app.pid)
        kinds = (("dashboard", events.dashboard), ("reading", events.reading))
        recordings = [
            Recording(worker.pid, args.out / f"{kind}-{suffix}", args.seconds, args.rate) for kind, _ in kinds
        ]
        phases = [
            Phase(kind, ((kind, step),), seconds=args.seconds + 2, on_start=recording.start)
            for (kind, step), recording in zip(kinds, recordings, strict=True)
        ]
        results = run_phases(subject, args.residents, phases)
        for recording in recordings:
            recording.wait()
    for recording, result in zip(recordings, results, strict=True):
        print("\n" + recording.report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
