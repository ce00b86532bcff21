"""The tables `bench.events` prints (Markdown, ready for docs/benchmarks.md)."""

from __future__ import annotations

import statistics

from bench.phases import PhaseResult

TARGET_CPU_RATIO = 1.5


def quantiles(values: list[float]) -> tuple[float, float]:
    """p50 and p95 in ms."""
    if not values:
        return float("nan"), float("nan")
    if len(values) < 2:
        return values[0] * 1000, values[0] * 1000
    cuts = statistics.quantiles(values, n=20)
    return statistics.median(values) * 1000, cuts[-1] * 1000


def _number(value: float, digits: int = 1) -> str:
    if value != value:  # NaN: nothing measured
        return "—"
    return f"{value:,.{digits}f}".replace(",", " ")


def _by_label(results: list[PhaseResult]) -> dict[str, PhaseResult]:
    return {result.label: result for result in results}


def _latency_table(measured) -> None:
    print("\nEvent round-trip over WebSocket (ms): Кабинет against Reflex's counter app, same run\n")
    print(
        "| residents | dashboard p50 | dashboard p95 | reading p50 | reading p95 | counter p50 | counter p95 "
        "| dashboard p95 / counter p95 |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, cabinet, references in measured:
        ours, counter = _by_label(cabinet), _by_label(references)
        dash = quantiles(ours["dashboard"].timings.get("dashboard", []))
        reading = quantiles(ours["reading"].timings.get("reading", []))
        count = quantiles(counter["counter"].timings.get("counter", []))
        print(
            f"| {size} | {_number(dash[0])} | {_number(dash[1])} | {_number(reading[0])} | {_number(reading[1])} "
            f"| {_number(count[0])} | {_number(count[1])} | {_number(dash[1] / count[1])} |"
        )


# (Кабинет's phase, the reference's phase, how the reference's event is named in the table)
PAIRS = (
    ("dashboard", "load_dashboard", "minimal `load_dashboard`"),
    ("readings form", "load_readings", "minimal `load_readings`"),
    ("reading", "submit_reading", "minimal `submit_reading`"),
    ("keystroke", None, "—"),
    ("dashboard", "counter", "counter `increment` (historical)"),
)


def _cpu_table(measured) -> None:
    print("\nBackend worker CPU per event (ms, user+sys, idle subtracted) and round-trip (ms), same run\n")
    print(
        "| residents | Кабинет event | Кабинет CPU | reference event | reference CPU | ratio "
        "| Кабинет p50 | Кабинет p95 | reference p50 | reference p95 |"
    )
    print("| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, cabinet, references in measured:
        ours, theirs = _by_label(cabinet), _by_label(references)
        for kind, reference_kind, reference_name in PAIRS:
            if kind not in ours or (reference_kind is not None and reference_kind not in theirs):
                continue
            mine = ours[kind]
            other = theirs.get(reference_kind) if reference_kind else None
            our_cpu = mine.worker_ms()
            their_cpu = other.worker_ms() if other else float("nan")
            ours_q = quantiles(mine.timings.get(kind, []))
            theirs_q = quantiles(other.timings.get(reference_kind, [])) if other else (float("nan"),) * 2
            ratio = our_cpu / their_cpu if other and their_cpu > 0 else float("nan")
            print(
                f"| {size} | {kind} | {_number(our_cpu, 2)} | {reference_name} | {_number(their_cpu, 2)} "
                f"| {_number(ratio, 2)} | {_number(ours_q[0])} | {_number(ours_q[1])} "
                f"| {_number(theirs_q[0])} | {_number(theirs_q[1])} |"
            )


def _phases_table(measured) -> None:
    print("\nThe phases: workers' and the bench client's CPU (% of one core over the phase)\n")
    print(
        "| residents | app | phase | events | s | events/s | workers CPU % | workers idle, ms/s "
        "| workers ms/event, gross | client CPU % | client ms/event |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, cabinet, references in measured:
        for app, results in (("Кабинет", cabinet), *((result.label, [result]) for result in references)):
            for result in results:
                interval = result.interval
                print(
                    f"| {size} | {app if app == 'Кабинет' else 'reference'} | {result.label} | {result.events} "
                    f"| {_number(interval.wall, 2)} | {_number(result.throughput(), 0)} "
                    f"| {_number(interval.percent(interval.worker_total), 0)} | {_number(result.idle_rate * 1000, 1)} "
                    f"| {_number(result.worker_ms(net=False), 2)} | {_number(interval.percent(interval.client), 0)} "
                    f"| {_number(result.client_ms(), 2)} |"
                )


def print_sqlite(measured: list[tuple[int, list[PhaseResult], list[PhaseResult]]]) -> None:
    """`measured`: (residents, the cabinet's phases, the references' phases) per size."""
    _latency_table(measured)
    _cpu_table(measured)
    _phases_table(measured)
    print(
        "\nA reading is its keystroke and its submit (the reference's `submit_reading` carries the value); "
        "its CPU is per submitted reading, its time the submit's.\n"
        f"Targets: CPU per event within {TARGET_CPU_RATIO}× of the minimal app's same work; "
        "dashboard p95 within 1.5× of the counter app at 50 residents.\n"
    )
