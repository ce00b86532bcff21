"""Sign-in under load: other residents' dashboard events while 20 sign-ins hash passwords (bcrypt 12).

Residents keep opening their dashboards over WebSocket; first alone, then while 20 other tabs
sign in at once. bcrypt runs in worker threads, so the others should barely notice.

    .venv/bin/python -m bench.signin_load [--residents 20] [--signins 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.cabinet_residents import DASHBOARD, SESSION, seed, signed_in_tab
from bench.socket_client import ROOT, Tab
from tests.e2e.server import run_app

LOGIN = f"{ROOT}.cabinet___state___login____login_state"


def _browse(base: str, token: str, until: threading.Event, timings: list[float]) -> None:
    tab = signed_in_tab(base, token)
    try:
        while not until.is_set():
            timings.append(tab.timed(f"{DASHBOARD}.load", {}, DASHBOARD, "accounts", lambda value: len(value) >= 1))
    finally:
        tab.close()


def _sign_in(base: str, index: int, durations: list[float]) -> None:
    tab = Tab(base, "/login")
    try:
        # A browser sends its next event only once the previous one is done; so does this tab.
        tab.timed(f"{LOGIN}.set_email", {"value": f"bench{index}@example.com"}, LOGIN, "email")
        tab.timed(f"{LOGIN}.set_password", {"value": "bench1"}, LOGIN, "password")
        durations.append(tab.timed(f"{LOGIN}.submit", {}, SESSION, "signed_in", lambda value: value is True))
    finally:
        tab.close()


def _phase(base: str, tokens: list[str], seconds: float, signins: int) -> tuple[list[float], list[float]]:
    until, timings, durations = threading.Event(), [], []
    browsers = [threading.Thread(target=_browse, args=(base, token, until, timings)) for token in tokens]
    for thread in browsers:
        thread.start()
    time.sleep(1)
    timings.clear()  # measure from here, once every tab is connected
    if signins:
        hashers = [threading.Thread(target=_sign_in, args=(base, 100 + index, durations)) for index in range(signins)]
        for thread in hashers:
            thread.start()
        for thread in hashers:
            thread.join(120)
    else:
        time.sleep(seconds)
    until.set()
    for thread in browsers:
        thread.join(60)
    return timings, durations


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] * 1000 if len(values) >= 20 else max(values) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--signins", type=int, default=20)
    args = parser.parse_args()
    os.environ.pop("BCRYPT_ROUNDS", None)  # the production cost for the sign-ins
    with run_app() as app:
        app.env.pop("BCRYPT_ROUNDS", None)
        seeded = seed(app, 100 + args.signins, bcrypt_rounds=12)
        tokens = seeded["tokens"][: args.residents]
        quiet, _ = _phase(app.url, tokens, seconds=5, signins=0)
        loaded, durations = _phase(app.url, tokens, seconds=0, signins=args.signins)
    print(f"\nDashboard events of {args.residents} residents, alone and while {args.signins} sign-ins run\n")
    print("| phase | events | p50, ms | p95, ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in (("alone", quiet), (f"{args.signins} sign-ins at once", loaded)):
        print(f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} | {_p95(values):.0f} |")
    if durations:
        print(f"\nSign-ins: {len(durations)} done, median {statistics.median(durations) * 1000:.0f} ms each.")
    print(
        f"Target: other residents' p95 under 200 ms while the sign-ins run: "
        f"{'met' if _p95(loaded) < 200 else 'NOT met'}.\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
