"""Residents of one app going through phases together, with the app's workers' CPU read between phases.

Every resident opens its tab and runs one warm-up round; then, phase by phase, all of them start
at once (a `StartGate`), run the phase's rounds and line up again. The last resident to arrive at a
gate takes the snapshots, so a phase runs from the moment everyone started it to the moment
everyone finished it, and the workers' CPU in between belongs to its events alone. Then, before
the next phase:

- settle, 3 s: Reflex's default state manager (SQLite mode) pickles each touched tab state to disk
  up to 2 s after its event (a debounce), so part of an event's CPU comes after the phase; the
  phase's CPU is read only once that is done (with Redis the state is written within the event);
- quiet, as long as the phase and its settle (1–20 s): the tabs stay connected and silent; the
  workers' CPU then (pings, the app's background loops, the state manager's timer) is the idle
  rate, reported, and subtracted from the phase's CPU for the same length of time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.socket_client import Residents, StartGate, Tab
from bench.worker_cpu import CpuMeter, Interval, Snapshot, between

Step = Callable[[Tab, int, int], float]  # (tab, resident index, round) -> seconds of its timed event
SETTLE_SECONDS = 3.0
QUIET_SECONDS = (1.0, 20.0)


@dataclass(frozen=True)
class Subject:
    """An app being measured: its URL, its `reflex run` process, how a resident's tab gets ready."""

    name: str
    url: str
    root_pid: int
    open_tab: Callable[[str, int], Tab]
    warm_up: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Phase:
    """Every resident repeats `steps` (each timed under its name) for `rounds` rounds or `seconds`."""

    label: str
    steps: tuple[tuple[str, Step], ...]
    rounds: int = 0
    seconds: float = 0.0
    on_start: Callable[[], None] | None = None  # run as the phase starts (after its snapshot)

    def goes_on(self, round_number: int, deadline: float) -> bool:
        if self.seconds:
            return time.perf_counter() < deadline
        return round_number < self.rounds


@dataclass(frozen=True)
class PhaseResult:
    label: str
    interval: Interval  # from the start to the last resident's last answer
    settled: Interval  # from the start to the end of the settle: the workers' CPU of the phase
    idle_rate: float  # the workers' CPU seconds per second of the quiet interval
    timings: dict[str, list[float]]

    @property
    def events(self) -> int:
        return sum(len(values) for values in self.timings.values())

    @property
    def idle_seconds(self) -> float:
        """What the workers spend idle over as long as the phase and its settle took."""
        return self.idle_rate * self.settled.wall

    def worker_ms(self, *, net: bool = True) -> float:
        """The workers' CPU per event, in ms; `net` takes off what they spend idle meanwhile."""
        spent = self.settled.worker_total - (self.idle_seconds if net else 0.0)
        return 1000 * spent / self.events if self.events else float("nan")

    def client_ms(self) -> float:
        return 1000 * self.interval.client / self.events if self.events else float("nan")

    def throughput(self) -> float:
        return self.events / self.interval.wall if self.interval.wall else 0.0


class _Marks:
    """The snapshots taken at the gates: per phase its start, finish, settled and quiet ends."""

    def __init__(self, meter: CpuMeter, phases: list[Phase]) -> None:
        self.meter, self.phases = meter, phases
        self.taken: list[dict[str, Snapshot]] = []

    def gate(self, number: int) -> Callable[[Tab], None]:
        def on_open(tab: Tab) -> None:
            if number > 0:
                self._close(self.taken[number - 1], tab)
            if number < len(self.phases):
                self.taken.append({"start": self.meter.snapshot()})
                if self.phases[number].on_start is not None:
                    self.phases[number].on_start()

        return on_open

    def _close(self, marks: dict[str, Snapshot], tab: Tab) -> None:
        marks["finish"] = self.meter.snapshot()
        tab.idle(SETTLE_SECONDS)
        marks["settled"] = self.meter.snapshot()
        tab.idle(min(max(marks["settled"].wall - marks["start"].wall, QUIET_SECONDS[0]), QUIET_SECONDS[1]))
        marks["quiet"] = self.meter.snapshot()

    def deadline(self, number: int) -> float:
        return self.taken[number]["start"].wall + self.phases[number].seconds

    def result(self, number: int, timings: dict[str, list[float]]) -> PhaseResult:
        marks = self.taken[number]
        quiet = between(marks["settled"], marks["quiet"])
        return PhaseResult(
            label=self.phases[number].label,
            interval=between(marks["start"], marks["finish"]),
            settled=between(marks["start"], marks["settled"]),
            idle_rate=quiet.worker_total / quiet.wall,
            timings=timings,
        )


def run_phases(
    subject: Subject, residents: int, phases: list[Phase], *, watch_services: bool = False
) -> list[PhaseResult]:
    """Runs the phases with `residents` tabs on `subject`; one result per phase, in order."""
    marks = _Marks(CpuMeter(subject.root_pid, watch_services=watch_services), phases)
    gates = [StartGate(residents, on_open=marks.gate(number)) for number in range(len(phases) + 1)]

    def work(index: int):
        tab = subject.open_tab(subject.url, index)
        try:
            for step in subject.warm_up:
                step(tab, index, -1)
            for number, phase in enumerate(phases):
                gates[number].wait(tab)
                deadline, round_number = marks.deadline(number), 0
                while phase.goes_on(round_number, deadline):
                    for name, step in phase.steps:
                        yield (number, name), step(tab, index, round_number)
                    round_number += 1
            gates[-1].wait(tab)
        finally:
            tab.close()

    timings = Residents(residents, work, gates).join()
    if not all("quiet" in taken for taken in marks.taken) or len(marks.taken) < len(phases):
        raise RuntimeError(f"{subject.name}: the residents did not finish every phase")
    return [
        marks.result(number, {name: values for (index, name), values in timings.items() if index == number})
        for number in range(len(phases))
    ]
