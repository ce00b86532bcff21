"""A browser tab's event socket spoken from a thread, and the gates that line simulated residents up.

Reflex talks Engine.IO 4 / Socket.IO on `/_event`: an event goes out as `42/_event,["event", {...}]`
and each update comes back as `42/_event,["event", {"delta": {state: {var_rx_state_: value}}}]`.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import simple_websocket

ROOT = "reflex___state____state"
EVENT_PREFIX = "42/_event,"


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
        self.socket.send(EVENT_PREFIX + json.dumps(["event", event]))

    def wait_for(self, state: str, key: str, accept=lambda value: True, timeout: float = 60) -> float:
        """Reads updates until `state.key` arrives with an accepted value; returns when."""
        return self.wait_for_delta(state, key, accept, timeout)[0]

    def wait_for_delta(
        self, state: str, key: str, accept=lambda value: True, timeout: float = 60
    ) -> tuple[float, dict]:
        """Reads updates until `state.key` arrives with an accepted value; returns when, and the state's delta.

        Only an update that names the key is parsed: with fifty residents in one process the
        client's own CPU matters, and most updates (the hydration, other vars) are not the answer.
        """
        deadline = time.monotonic() + timeout
        marker = f'"{key}_rx_state_"'
        while time.monotonic() < deadline:
            message = self._receive(timeout=deadline - time.monotonic())
            if marker not in message or not message.startswith(EVENT_PREFIX):
                continue
            _name, update = json.loads(message[len(EVENT_PREFIX) :])
            delta = update.get("delta", {}).get(state, {})
            if f"{key}_rx_state_" in delta and accept(delta[f"{key}_rx_state_"]):
                return time.perf_counter(), delta
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
    """Lets every simulated resident go on at once, their sockets kept alive while they wait.

    A plain barrier would leave the first tabs silent while the last ones sign in; past
    Engine.IO's ping timeout the server drops them and the run loses residents. `on_open` runs
    once, in the last resident's thread and with its tab (to keep answering pings), just before
    the gate opens: a phase's measurement starts (and the one before ends) exactly when every
    resident has finished the one before.
    """

    def __init__(self, count: int, on_open: Callable[[Tab], None] | None = None) -> None:
        self._count = count
        self._arrived = 0
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._on_open = on_open
        self._broken = False

    def wait(self, tab: Tab, timeout: float = 300) -> None:
        with self._lock:
            self._arrived += 1
            if self._arrived >= self._count:
                if self._on_open is not None:
                    self._on_open(tab)
                self._open.set()
        deadline = time.monotonic() + timeout
        while not self._open.is_set():
            if self._broken or time.monotonic() > deadline:
                raise TimeoutError("the other residents did not get ready")
            tab.idle(0.2)

    def wait_open(self, timeout: float = 900) -> bool:
        """For the main thread: whether the gate opened (False when a resident failed or time ran out)."""
        deadline = time.monotonic() + timeout
        while not self._open.wait(0.2):
            if self._broken or time.monotonic() > deadline:
                return False
        return True

    def abort(self) -> None:
        self._broken = True


Work = Callable[[int], Iterator[tuple[str, float]]]


class Residents:
    """A thread per simulated resident, each running `work(index)` and collecting what it yields."""

    def __init__(self, count: int, work: Work, gates: list[StartGate]) -> None:
        self.count = count
        self.timings: dict[str, list[float]] = {}
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()
        self._gates = gates
        self._threads = [threading.Thread(target=self._run, args=(work, index)) for index in range(count)]
        for thread in self._threads:
            thread.start()

    def _run(self, work: Work, index: int) -> None:
        try:
            for name, seconds in work(index):
                with self._lock:
                    self.timings.setdefault(name, []).append(seconds)
        except BaseException as error:  # reported below, the run goes on
            self.errors.append(error)
            for gate in self._gates:
                gate.abort()  # nobody waits for a resident that will not come

    def join(self) -> dict[str, list[float]]:
        for thread in self._threads:
            thread.join(600)
        if self.errors:
            print(
                f"  {len(self.errors)} of {self.count} simulated residents failed, e.g. {self.errors[0]!r}",
                file=sys.stderr,
            )
        return self.timings


def run_residents(count: int, work: Callable[[int, StartGate], Iterator[tuple[str, float]]]) -> dict[str, list[float]]:
    """Every resident runs `work(index, start)`, where `start.wait(tab)` lines them all up once."""
    start = StartGate(count)
    return Residents(count, lambda index: work(index, start), [start]).join()
