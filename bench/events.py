"""Event round-trip over WebSocket: time and backend CPU per event, the cabinet against reference apps.

Each simulated resident is a thread speaking the browser's protocol (`bench/socket_client.py`): it
connects with its own tab token, signs in by handing over a session token (made in the database
beforehand, as sign-in would), runs one warm-up round, and then, all residents together, one phase
per kind of event: only dashboard loads, only readings-form loads, only keystrokes, only submitted
readings. The backend worker's CPU over each phase (`bench/phases.py`, `bench/worker_cpu.py`) divided
by the phase's events is the CPU per event. The same is done, in the same run, on the same work done
plainly (`bench/minimal_app.py` on the cabinet's own SQLite file: `load_dashboard`, `load_readings`,
`submit_reading`) and on Reflex's counter app (`increment`, the historical reference).

    .venv/bin/python -m bench.events [--residents 1,50,200] [--rounds 3]
    .venv/bin/python -m bench.events --workers 1,2 [--residents 50] [--seconds 30]

The second form runs the production stack instead (PostgreSQL + Redis, see `bench/scale_out.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import events_report, minimal_app
from bench.cabinet_residents import DASHBOARD, READINGS, SESSION, UPDATE_VARS, CabinetEvents, seed
from bench.phases import Phase, Subject, run_phases
from bench.reference_app import reference_app
from bench.socket_client import ROOT, Tab
from bench.worker_cpu import serving_root
from tests.e2e.server import run_app

__all__ = ["DASHBOARD", "READINGS", "ROOT", "SESSION", "Tab", "main"]

# Every phase has at least this many events: fewer, and the CPU figure is a few clock ticks.
MIN_EVENTS = 500
# At least 30 timings per figure, or a p95 of one resident is just the slowest of three.
MIN_SAMPLES = 30
COUNTER_APP = """import reflex as rx


class State(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def index() -> rx.Component:
    return rx.hstack(rx.button("+", on_click=State.increment), rx.text(State.count))


app = rx.App()
app.add_page(index)
"""


@contextlib.contextmanager
def counter_app():
    """Reflex's counter app as a Subject with its one kind of event, `increment`."""
    with reference_app(prefix="reflex-counter-", source=COUNTER_APP) as (url, app_module):
        # Reflex names a state after its module: <package>.<module>.State.
        state = f"{ROOT}.{app_module.parent.name}___{app_module.stem}____state"

        def open_tab(base: str, _index: int) -> Tab:
            tab = Tab(base, "/")
            tab.wait_for(state, "count")
            return tab

        def increment(tab: Tab, _index: int, _round: int) -> float:
            return tab.timed(f"{state}.increment", {}, state, "count")

        yield Subject("counter", url, serving_root(url), open_tab, warm_up=(increment,)), increment


@contextlib.contextmanager
def minimal_reference(app, seeded: dict):
    """`bench/minimal_app.py` on the cabinet's own SQLite file, the same residents signed in: a Subject and
    its phases' steps, named after its events."""
    state, account, meter = minimal_app.STATE, seeded["account"], seeded["meter"]

    def open_tab(base: str, index: int) -> Tab:
        tab = Tab(base, "/")  # its hydration's load finds no token yet and redirects: nothing waits for that
        tab.send(UPDATE_VARS, {"vars": {f"{state}.session_token_rx_state_": seeded["tokens"][index]}})
        return tab

    def load_dashboard(tab: Tab, _index: int, _round: int) -> float:
        return tab.timed(minimal_app.LOAD_DASHBOARD, {}, state, minimal_app.ACCOUNTS_VAR, lambda value: len(value) >= 1)

    def load_readings(tab: Tab, _index: int, _round: int) -> float:
        payload = {"account_id": account}
        return tab.timed(minimal_app.LOAD_READINGS, payload, state, minimal_app.ROWS_VAR, lambda value: len(value) >= 1)

    def submit_reading(tab: Tab, index: int, round_number: int) -> float:
        value = (seeded["last"] // 1000) + 1 + (index + round_number) % 5
        payload = {"meter_id": meter, "value": str(value)}
        return tab.timed(minimal_app.SUBMIT_READING, payload, state, minimal_app.SAVED_VAR, lambda value: bool(value))

    steps = {"load_dashboard": load_dashboard, "load_readings": load_readings, "submit_reading": submit_reading}
    database_url = app.env.get("DATABASE_URL") or f"sqlite:///{app.data_dir / 'cabinet.db'}"
    with minimal_app.minimal_app(database_url) as url:
        yield Subject("minimal app", url, serving_root(url), open_tab, warm_up=tuple(steps.values())), steps


def cabinet_subject(app, seeded: dict) -> tuple[Subject, CabinetEvents]:
    events = CabinetEvents(seeded)
    warm_up = (events.dashboard, events.readings_form, events.reading)
    return Subject("Кабинет", app.url, app.pid, events.open_tab, warm_up=warm_up), events


def cabinet_phases(events: CabinetEvents, rounds: int) -> list[Phase]:
    """A phase per kind; a submitted reading is its keystroke and the submit (two events, one counted)."""
    kinds = (
        ("dashboard", events.dashboard),
        ("readings form", events.readings_form),
        ("keystroke", events.keystroke),
        ("reading", events.reading),
    )
    return [Phase(kind, ((kind, step),), rounds=rounds) for kind, step in kinds]


def _sqlite_mode(args) -> int:
    sizes = [int(size) for size in args.residents.split(",")]
    measured = []
    with run_app() as app, counter_app() as (counter, increment):
        seeded = seed(app, max(sizes))
        ours, events = cabinet_subject(app, seeded)
        with minimal_reference(app, seeded) as (minimal, steps):
            for size in sizes:
                rounds = max(args.rounds, -(-MIN_SAMPLES // size), -(-MIN_EVENTS // size))
                print(f"{size} residents, {rounds} rounds a phase", file=sys.stderr)
                cabinet = run_phases(ours, size, cabinet_phases(events, rounds))
                same_work = [Phase(name, ((name, step),), rounds=rounds) for name, step in steps.items()]
                reference = run_phases(minimal, size, same_work)
                reference += run_phases(counter, size, [Phase("counter", (("counter", increment),), rounds=rounds)])
                measured.append((size, cabinet, reference))
    events_report.print_sqlite(measured)
    if events.refused:
        print(f"{len(events.refused)} submits were refused, e.g. «{events.refused[0]}» (see the app's log)\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", default=None, help="comma-separated sizes (default 1,50,200; 50 with --workers)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each phase per resident (at least)")
    parser.add_argument("--workers", default=None, help="e.g. 1,2: the production stack with that many workers")
    parser.add_argument("--seconds", type=float, default=30, help="with --workers: how long each run lasts")
    args = parser.parse_args(argv)
    if args.workers:
        from bench import scale_out

        args.residents = args.residents or "50"
        return scale_out.run(args)
    args.residents = args.residents or "1,50,200"
    return _sqlite_mode(args)


if __name__ == "__main__":
    sys.exit(main())
