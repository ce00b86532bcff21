"""`bench.events --workers 1,2`: the same residents on the production stack with 1, then 2 backend workers.

Each worker count gets a throw-away PostgreSQL database (created, migrated and seeded by
`run_app`, dropped afterwards) and a Redis database number of its own (one of 1–7 found empty,
flushed before and after: the stack tests take 8–15, `make run-prod` uses 0). The residents repeat
a resident's whole round — open the dashboard, open the readings form, type a value, submit it —
for a fixed time; every one of those four events counts towards the throughput.

Unlike the SQLite mode, each resident has an account of their own (a copy of the demo gas account,
`bench/seed_residents.py`): fifty residents submitting for one meter at once deadlock on PostgreSQL
(`_period_reading`'s FOR UPDATE, dozens a run), the waiting submits hold the worker's thread pool,
and other tabs' events then outlive their Redis state lock (LockExpiredError) — a cabinet bug that
would hide what a second worker buys. Submits the form still refuses are counted in the table.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass

import psutil
import redis

from bench.cabinet_residents import CabinetEvents, seed
from bench.events_report import quantiles
from bench.phases import Phase, PhaseResult, Subject, run_phases
from bench.worker_cpu import backend_workers
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.e2e.server import run_app

TARGET_SCALING = 1.5


def empty_redis_database() -> tuple[str, redis.Redis]:
    for number in random.sample(range(1, 8), 7):
        url = f"redis://127.0.0.1:6379/{number}"
        client = redis.Redis.from_url(url)
        if client.dbsize() == 0:
            return url, client
        client.close()
    raise RuntimeError("Redis databases 1–7 are all in use")


def _sockets_per_worker(root_pid: int, port: int) -> list[int]:
    """How many tabs' sockets each worker holds (Granian's workers share one listening socket)."""
    counts = []
    for worker in backend_workers(root_pid):
        try:
            connections = worker.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        counts.append(sum(1 for c in connections if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port))
    return sorted(counts, reverse=True)


@dataclass(frozen=True)
class Run:
    workers: int
    result: PhaseResult
    sockets: list[int]  # tabs per worker as the run started
    refused: list[str]  # what the form said on submits that were not saved
    deadlocks: int  # PostgreSQL's «deadlock detected» in the app's log


def _one_run(workers: int, residents: int, seconds: float) -> Run:
    database_url = create_postgres_database()
    redis_url, client = empty_redis_database()
    client.flushdb()
    try:
        with run_app(database_url=database_url, redis_url=redis_url, workers=workers) as app:
            found = len(backend_workers(app.pid))
            if found != workers:
                raise RuntimeError(f"asked for {workers} workers, found {found}")
            events = CabinetEvents(seed(app, residents, own_accounts=True))
            subject = Subject(
                "Кабинет",
                app.url,
                app.pid,
                events.open_tab,
                warm_up=(events.dashboard, events.readings_form, events.reading),
            )
            steps = (
                ("dashboard", events.dashboard),
                ("readings form", events.readings_form),
                ("keystroke", events.keystroke),
                ("reading", events.submit),
            )
            sockets: list[int] = []
            phase = Phase(
                "round",
                steps,
                seconds=seconds,
                on_start=lambda: sockets.extend(_sockets_per_worker(app.pid, _port(app))),
            )
            [result] = run_phases(subject, residents, [phase], watch_services=True)
            deadlocks = app.log_path.read_text(errors="replace").count("DeadlockDetected) deadlock detected")
            return Run(workers, result, sockets, events.refused, deadlocks)
    finally:
        client.flushdb()
        client.close()
        drop_postgres_database(database_url)


def _port(app) -> int:
    return int(app.url.rsplit(":", 1)[1])


def _print(runs: list[Run], residents: int) -> None:
    print(f"\nScale-out on PostgreSQL + Redis: {residents} residents, each repeating dashboard → readings form →")
    print("keystroke → submit; CPU as % of one core (the machine has 2); idle not subtracted here\n")
    print(
        "| workers | events | s | events/s | dashboard p50 | dashboard p95 | reading p50 | reading p95 "
        "| workers CPU % (each) | workers ms/event | client CPU % | PostgreSQL+Redis CPU % | machine busy % "
        "| sockets per worker | submits refused |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for run in runs:
        result, interval = run.result, run.result.interval
        dash, reading = quantiles(result.timings["dashboard"]), quantiles(result.timings["reading"])
        each = " + ".join(f"{interval.percent(seconds):.0f}" for seconds in interval.workers.values())
        print(
            f"| {run.workers} | {result.events} | {interval.wall:.1f} | {result.throughput():.0f} "
            f"| {dash[0]:.0f} | {dash[1]:.0f} | {reading[0]:.0f} | {reading[1]:.0f} "
            f"| {interval.percent(interval.worker_total):.0f} ({each}) | {result.worker_ms(net=False):.2f} "
            f"| {interval.percent(interval.client):.0f} | {interval.percent(interval.services):.0f} "
            f"| {interval.percent(interval.machine_busy):.0f} | {' / '.join(map(str, run.sockets))} "
            f"| {len(run.refused)} |"
        )
    for run in runs:
        if run.refused:
            print(
                f"\n{run.workers} worker(s): {len(run.refused)} submits refused, e.g. «{run.refused[0]}»; "
                f"the app logged {run.deadlocks} PostgreSQL deadlocks"
            )
    by_workers = {run.workers: run.result.throughput() for run in runs}
    if 1 in by_workers and 2 in by_workers and by_workers[1]:
        ratio = by_workers[2] / by_workers[1]
        verdict = "met" if ratio >= TARGET_SCALING else "NOT met"
        print(f"\nthroughput(2) / throughput(1) = {ratio:.2f} — target ≥ {TARGET_SCALING}: {verdict}.\n")


def run(args) -> int:
    counts = [int(count) for count in args.workers.split(",")]
    residents = int(args.residents.split(",")[-1])
    runs = []
    for workers in counts:
        print(f"{workers} worker(s), {residents} residents, {args.seconds:.0f} s", file=sys.stderr)
        runs.append(_one_run(workers, residents, args.seconds))
    _print(runs, residents)
    return 0
