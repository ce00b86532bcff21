"""Event round-trip over WebSocket: residents opening the dashboard and submitting a reading,
against Reflex's counter app measured the same way in the same run.

Each simulated resident is a thread speaking the browser's protocol (Engine.IO 4 / Socket.IO on
`/_event`): it connects with its own tab token, signs in by handing over a session token (made in
the database beforehand, as sign-in would), and then repeats «open the dashboard» and «submit a
reading», timing each from sending the event to the update that carries its result.

    .venv/bin/python -m bench.events [--residents 1,50,200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import simple_websocket

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.reference_app import reference_app
from tests.e2e.server import run_app

PROJECT = Path(__file__).resolve().parents[1]
ROOT = "reflex___state____state"
DASHBOARD = f"{ROOT}.cabinet___state___dashboard____dashboard_state"
READINGS = f"{ROOT}.cabinet___state___readings____readings_state"
SESSION = f"{ROOT}.cabinet___state___session____session_state"
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


class Tab:
    """One browser tab's socket."""

    def __init__(self, base_url: str, path: str) -> None:
        ws_url = base_url.replace("http://", "ws://") + f"/_event/?token={uuid.uuid4()}&EIO=4&transport=websocket"
        self.socket = simple_websocket.Client.connect(ws_url)
        self._receive()  # Engine.IO open
        self.path = path
        self.socket.send(
            "40/_event,"
            + json.dumps(
                {"event": {"name": f"{ROOT}.hydrate_and_load", "payload": {}, "router_data": self._router(path)}}
            )
        )

    @staticmethod
    def _router(path: str) -> dict:
        return {"pathname": path, "asPath": path}

    def _receive(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            message = self.socket.receive(timeout=max(deadline - time.monotonic(), 0.01))
            if message is None:
                raise TimeoutError("no answer")
            if message == "2":  # Engine.IO ping
                self.socket.send("3")
                continue
            return message

    def send(self, name: str, payload: dict | None = None, path: str | None = None) -> None:
        event = {"name": name, "payload": payload or {}, "router_data": self._router(path or self.path)}
        self.socket.send("42/_event," + json.dumps(["event", event]))

    def wait_for(self, state: str, key: str, accept=lambda value: True, timeout: float = 60) -> float:
        """Reads updates until `state.key` arrives with an accepted value; returns when."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(timeout=deadline - time.monotonic())
            if not message.startswith("42/_event,"):
                continue
            _name, update = json.loads(message[len("42/_event,") :])
            delta = update.get("delta", {}).get(state, {})
            if f"{key}_rx_state_" in delta and accept(delta[f"{key}_rx_state_"]):
                return time.perf_counter()
        raise TimeoutError(f"{state}.{key} did not arrive")

    def timed(
        self, name: str, payload: dict | None, state: str, key: str, accept=lambda value: True, path: str | None = None
    ) -> float:
        started = time.perf_counter()
        self.send(name, payload, path)
        return self.wait_for(state, key, accept) - started

    def idle(self, seconds: float) -> None:
        """Answers the server's pings for a while: a tab that stays silent longer is dropped."""
        deadline = time.monotonic() + seconds
        with contextlib.suppress(TimeoutError):
            while (left := deadline - time.monotonic()) > 0:
                self._receive(timeout=left)  # answers pings; nothing else matters while waiting

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.socket.close()


class StartGate:
    """Lets every simulated resident start at once, their sockets kept alive while they wait.

    A plain barrier would leave the first tabs silent while the last ones sign in; past
    Engine.IO's ping timeout the server drops them and the run loses residents.
    """

    def __init__(self, count: int) -> None:
        self._count = count
        self._arrived = 0
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._broken = False

    def wait(self, tab: Tab, timeout: float = 300) -> None:
        with self._lock:
            self._arrived += 1
            if self._arrived >= self._count:
                self._open.set()
        deadline = time.monotonic() + timeout
        while not self._open.is_set():
            if self._broken or time.monotonic() > deadline:
                raise TimeoutError("the other residents did not get ready")
            tab.idle(0.2)

    def abort(self) -> None:
        self._broken = True


def _run_residents(count: int, work) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = StartGate(count)

    def run(index: int) -> None:
        try:
            for name, seconds in work(index, start):
                with lock:
                    timings.setdefault(name, []).append(seconds)
        except BaseException as error:  # reported below, the run goes on
            errors.append(error)
            start.abort()  # nobody waits for a resident that will not come

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    if errors:
        print(f"  {len(errors)} of {count} simulated residents failed, e.g. {errors[0]!r}", file=sys.stderr)
    return timings


def _seed(app, residents: int, bcrypt_rounds: int = 4) -> dict:
    """Residents sharing the demo gas account (always open for readings), each with a session."""
    script = f"""
import json, datetime as dt
from sqlmodel import select
from cabinet.db import session_scope
from cabinet.models import AccountLink, Meter, ProviderAccount, User
from cabinet.clock import utc_now
from cabinet.services import sessions
from cabinet.services.passwords import hash_password
now = utc_now()
out = {{"tokens": []}}
with session_scope() as s:
    account = s.exec(select(ProviderAccount).where(ProviderAccount.number == "370012345601")).one()
    out["account"] = account.id
    out["meter"] = s.exec(select(Meter).where(Meter.account_id == account.id)).first().id
    out["last"] = s.exec(select(Meter).where(Meter.account_id == account.id)).first().last_value_thousandths
    password = hash_password("bench1")
    for i in range({residents}):
        email = f"bench{{i}}@example.com"
        user = s.exec(select(User).where(User.email_canonical == email)).first()
        if user is None:
            user = User(email=email, email_canonical=email, password_hash=password, confirmed_at=now,
                        created_at=now, updated_at=now)
            s.add(user); s.flush()
            s.add(AccountLink(user_id=user.id, account_id=account.id, created_at=now))
        out["tokens"].append(sessions.start_session(session=s, user_id=user.id, remember=True, now=now))
print(json.dumps(out))
"""
    env = {**app.env, "BCRYPT_ROUNDS": str(bcrypt_rounds)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _cabinet_work(base: str, seeded: dict, rounds: int):
    account, meter = seeded["account"], seeded["meter"]
    readings_path = f"/accounts/{account}/readings"

    def work(index: int, start: StartGate):
        tab = Tab(base, "/")
        try:
            tab.send(
                f"{ROOT}.reflex___state____update_vars_internal_state.update_vars_internal",
                {
                    "vars": {
                        f"{SESSION}.session_token_rx_state_": seeded["tokens"][index],
                        f"{SESSION}.browser_marker_rx_state_": "remembered",
                    }
                },
            )
            # What a page's on_load does once the browser has handed over its stored token.
            tab.send(f"{SESSION}.refresh")
            tab.wait_for(SESSION, "signed_in", lambda value: value is True)
            start.wait(tab)
            for round_number in range(rounds):
                yield (
                    "dashboard",
                    tab.timed(f"{DASHBOARD}.load", {}, DASHBOARD, "accounts", lambda value: len(value) >= 1, path="/"),
                )
                tab.timed(f"{READINGS}.load", {}, READINGS, "rows", lambda value: len(value) >= 1, path=readings_path)
                value = (seeded["last"] // 1000) + 1 + (index + round_number) % 5
                tab.timed(
                    f"{READINGS}.set_value",
                    {"meter_id": meter, "value": str(value)},
                    READINGS,
                    "rows",
                    path=readings_path,
                )
                yield (
                    "reading",
                    tab.timed(
                        f"{READINGS}.submit",
                        {"confirm_jumps": True},
                        READINGS,
                        "saved_notice",
                        lambda value: bool(value),
                        path=readings_path,
                    ),
                )
        finally:
            tab.close()

    return work


def _counter_work(counter: tuple[str, str], rounds: int):
    base, state = counter

    def work(_index: int, start: StartGate):
        tab = Tab(base, "/")
        try:
            tab.wait_for(state, "count")
            start.wait(tab)
            for _ in range(rounds * 2):
                yield "counter", tab.timed(f"{state}.increment", {}, state, "count")
        finally:
            tab.close()

    return work


@contextlib.contextmanager
def counter_app():
    """Reflex's counter app; yields its URL and the full name of its state."""
    with reference_app(prefix="reflex-counter-", source=COUNTER_APP) as (url, app_module):
        # Reflex names a state after its module: <package>.<module>.State.
        yield url, f"{ROOT}.{app_module.parent.name}___{app_module.stem}____state"


def _quantiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0] * 1000, values[0] * 1000
    cuts = statistics.quantiles(values, n=20)
    return statistics.median(values) * 1000, cuts[-1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", default="1,50,200")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.residents.split(",")]
    rows = []
    with run_app() as app, counter_app() as counter:
        seeded = _seed(app, max(sizes))
        for size in sizes:
            # At least 30 timings per figure, or a p95 of one resident is just the slowest of three.
            rounds = max(args.rounds, -(-MIN_SAMPLES // size))
            ours = _run_residents(size, _cabinet_work(app.url, seeded, rounds))
            reference = _run_residents(size, _counter_work(counter, rounds))
            rows.append((size, ours, reference))
    print("\nEvent round-trip over WebSocket (ms): Кабинет against Reflex's counter app, same run\n")
    print(
        "| residents | dashboard p50 | dashboard p95 | reading p50 | reading p95 | counter p50 | counter p95 "
        "| dashboard p95 / counter p95 |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, ours, reference in rows:
        dash, reading, count = (
            _quantiles(ours.get("dashboard", [0])),
            _quantiles(ours.get("reading", [0])),
            _quantiles(reference.get("counter", [0])),
        )
        ratio = dash[1] / count[1] if count[1] else float("nan")
        print(
            f"| {size} | {dash[0]:.1f} | {dash[1]:.1f} | {reading[0]:.1f} | {reading[1]:.1f} | {count[0]:.1f} | "
            f"{count[1]:.1f} | {ratio:.1f} |"
        )
    print("\nTarget: dashboard p95 within 1.5× of the counter app at 50 residents.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
