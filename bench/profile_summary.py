"""Where a py-spy profile's samples go: shares of the backend worker's busy time, from a speedscope file.

    .venv/bin/python -m bench.profile_summary docs/profiles/dashboard-50.speedscope.json [--ms-per-event 4.2]

Two views. *Inclusive*: the share of samples with a given piece of code anywhere on the stack (they
overlap: the session check includes its SQL). *By layer*: each sample goes to the innermost layer
on its stack, so the layers add up to 100 % (SQL run by our service counts as SQL, our service's own
Python as ours). py-spy leaves idle threads out, so 100 % is the worker's busy time; given the CPU per
event measured by `bench.events`, each share is also shown in ms per event.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

# (label, pattern on "function (file)") — inclusive: anywhere on the stack.
INCLUSIVE = (
    (
        "Reflex: handling an event (queue entry → handler → delta → emit)",
        r"^EventProcessor\._process_event_queue_entry ",
    ),
    ("Reflex: state manager (fetch, lock, write back)", r"reflex/istate/manager/"),
    ("  of which (un)pickling the state", r"pickle|dill/|^(BaseState\._(de)?serialize|BaseState\.__[gs]etstate__) "),
    ("  of which the Redis client (redis-py)", r"redis/"),
    ("another state fetched in a handler (BaseState.get_state)", r"^BaseState\.get_state "),
    (
        "Reflex: delta (get_delta, _dirty_vars, resolve/build_delta)",
        r"get_delta|_dirty_vars|_mark_dirty|resolve_delta|build_delta",
    ),
    ("JSON encoding (json_dumps, _sio_dumps)", r"json_dumps|_sio_dumps|json/(encoder|decoder)\.py|orjson"),
    ("socket.io / engine.io", r"(socketio|engineio)/"),
    ("Starlette and our ASGI middleware (cabinet/api)", r"starlette/|cabinet/api/"),
    (
        "hand-off to the thread pool and back (to_thread, futures)",
        r"^(to_thread|BaseEventLoop\.run_in_executor|ThreadPoolExecutor\.submit|Future\.set_result|_chain_future"
        r"|wrap_future|BaseEventLoop\.call_soon_threadsafe|BaseSelectorEventLoop\._write_to_self) ",
    ),
    ("our State code (cabinet/state)", r"cabinet/state/"),
    (
        "session check (current_user_id, _resolve, sessions.identify)",
        r"^(current_user_id|SessionState\._resolve) |^identify \(.*cabinet/services/sessions\.py",
    ),
    (
        "account card (account_card, card_for, dashboard_cards)",
        r"^(account_card|card_for|dashboard_cards)\b.*cabinet/services/dashboard\.py",
    ),
    ("dashboard service (dashboard_of)", r"^dashboard_of\b"),
    ("readings form (open_form)", r"^open_form \("),
    ("reading submit (send_readings)", r"^send_readings \("),
    ("our services (cabinet/services)", r"cabinet/services/"),
    ("SQLAlchemy / SQLModel", r"sqlalchemy|sqlmodel/"),
    ("DB driver (sqlite3 / psycopg)", r"sqlite3|psycopg"),
)

# Innermost match wins; the first pattern that matches a frame names its layer.
LAYERS = (
    ("DB driver (sqlite3 / psycopg)", r"sqlite3|psycopg"),
    ("SQLAlchemy / SQLModel", r"sqlalchemy|sqlmodel/"),
    ("(un)pickling the state", r"pickle|dill/|^(BaseState\._(de)?serialize|BaseState\.__[gs]etstate__) "),
    ("Redis client (redis-py)", r"redis/"),
    ("JSON encoding", r"json_dumps|_sio_dumps|json/(encoder|decoder)\.py|orjson"),
    ("socket.io / engine.io", r"(socketio|engineio)/"),
    ("our code (cabinet/)", r"cabinet/"),
    ("pydantic / dataclasses", r"pydantic|dataclasses\.py|<string>"),
    ("Reflex: delta", r"get_delta|_dirty_vars|_mark_dirty|resolve_delta|build_delta|reflex_base/utils/serializers"),
    ("Reflex: state manager", r"reflex/istate/manager/"),
    ("Reflex: the rest (state, vars, event processor)", r"reflex(_base)?/"),
    ("Starlette / Granian", r"starlette/|granian/"),
    ("asyncio & thread pool", r"asyncio/|threading\.py|concurrent/|selectors\.py|_weakrefset"),
)


def _frame_names(document: dict) -> list[str]:
    return [f"{frame['name']} ({frame.get('file', '')})" for frame in document["shared"]["frames"]]


def _samples(document: dict):
    """(thread kind, stack, weight): the event loop's thread is «MainThread», the rest are the pool's."""
    for profile in document["profiles"]:
        weights = profile.get("weights") or [1] * len(profile["samples"])
        kind = "event loop (MainThread)" if "MainThread" in profile["name"] else "thread pool (services, SQL)"
        for stack, weight in zip(profile["samples"], weights, strict=True):
            yield kind, stack, weight


def summarize(path: Path) -> tuple[float, Counter, Counter]:
    """(total weight, inclusive weight per label, weight per layer and per thread kind)."""
    document = json.loads(path.read_text())
    names = _frame_names(document)
    inclusive_rules = [(label, re.compile(pattern)) for label, pattern in INCLUSIVE]
    layer_rules = [(label, re.compile(pattern)) for label, pattern in LAYERS]
    frame_layer = [next((label for label, rule in layer_rules if rule.search(name)), None) for name in names]
    frame_labels = [{label for label, rule in inclusive_rules if rule.search(name)} for name in names]
    total, inclusive, layers = 0, Counter(), Counter()
    for thread, stack, weight in _samples(document):
        total += weight
        inclusive[thread] += weight
        for label in set().union(*(frame_labels[index] for index in stack)):
            inclusive[label] += weight
        layer = next((frame_layer[index] for index in reversed(stack) if frame_layer[index]), "other")
        layers[layer] += weight
    return total, inclusive, layers


def report(path: Path, ms_per_event: float | None) -> str:
    total, inclusive, layers = summarize(path)
    lines = [f"{path.name}: {total:.2f} s of samples", "", "| inclusive | % | ms/event |", "| --- | ---: | ---: |"]

    def row(label: str, count: int) -> str:
        share = 100 * count / total if total else 0.0
        per_event = f"{share * ms_per_event / 100:.2f}" if ms_per_event else "—"
        return f"| {label} | {share:.1f} | {per_event} |"

    threads = ("event loop (MainThread)", "thread pool (services, SQL)")
    lines += [row(label, inclusive[label]) for label in (*threads, *(label for label, _ in INCLUSIVE))]
    lines += ["", "| by layer (innermost) | % | ms/event |", "| --- | ---: | ---: |"]
    lines += [row(label, count) for label, count in layers.most_common()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--ms-per-event", type=float, default=None)
    args = parser.parse_args(argv)
    for path in args.profiles:
        print(report(path, args.ms_per_event) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
