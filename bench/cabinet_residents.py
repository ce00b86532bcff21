"""Simulated residents of the cabinet: seeded in its database, signed in over the socket, and the
events a resident sends — what `bench.events` and `bench.signin_load` drive.

By default the residents share the demo gas account (one account, one meter, a year of charts,
always open for readings), so every submit writes the rows every other resident reads; the
scale-out run gives each a copy of it (`bench/seed_residents.py`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.socket_client import ROOT, Tab

PROJECT = Path(__file__).resolve().parents[1]
DASHBOARD = f"{ROOT}.cabinet___state___dashboard____dashboard_state"
READINGS = f"{ROOT}.cabinet___state___readings____readings_state"
SESSION = f"{ROOT}.cabinet___state___session____session_state"
UPDATE_VARS = f"{ROOT}.reflex___state____update_vars_internal_state.update_vars_internal"


def seed(app, residents: int, bcrypt_rounds: int = 4, *, own_accounts: bool = False) -> dict:
    """Residents with a session each (`bench/seed_residents.py`): {"residents": [{token, account, meter,
    last}, …], "tokens": [...]}, plus the shared account's "account", "meter" and "last" without
    `own_accounts`."""
    env = {**app.env, "BCRYPT_ROUNDS": str(bcrypt_rounds)}
    command = [sys.executable, "-m", "bench.seed_residents", str(residents)]
    result = subprocess.run(
        [*command, *(["--own-accounts"] if own_accounts else [])],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    people = json.loads(result.stdout.strip().splitlines()[-1])
    seeded = {"residents": people, "tokens": [person["token"] for person in people]}
    if not own_accounts:
        seeded.update({key: people[0][key] for key in ("account", "meter", "last")})
    return seeded


def signed_in_tab(base: str, token: str, path: str = "/") -> Tab:
    """A tab whose browser has handed over its stored session token, as a page's on_load does."""
    tab = Tab(base, path)
    try:
        tab.send(
            UPDATE_VARS,
            {
                "vars": {
                    f"{SESSION}.session_token_rx_state_": token,
                    f"{SESSION}.browser_marker_rx_state_": "remembered",
                }
            },
        )
        tab.send(f"{SESSION}.refresh")
        tab.wait_for(SESSION, "signed_in", lambda value: value is True)
    except BaseException:
        tab.close()
        raise
    return tab


class CabinetEvents:
    """A resident's events, each a callable (tab, resident index, round) -> seconds of the one timed event."""

    def __init__(self, seeded: dict) -> None:
        self.residents = seeded["residents"]
        # Submits the cabinet answered with an error instead of the saved notice (see `submit`).
        self.refused: list[str] = []

    def open_tab(self, base: str, index: int) -> Tab:
        return signed_in_tab(base, self.residents[index]["token"])

    def _readings_path(self, index: int) -> str:
        return f"/accounts/{self.residents[index]['account']}/readings"

    def dashboard(self, tab: Tab, _index: int, _round: int) -> float:
        """«Open the dashboard»: its load, until the account cards arrive."""
        return tab.timed(f"{DASHBOARD}.load", {}, DASHBOARD, "accounts", lambda value: len(value) >= 1, path="/")

    def readings_form(self, tab: Tab, index: int, _round: int) -> float:
        """«Open the readings form»: its load, until the meter rows arrive."""
        path = self._readings_path(index)
        return tab.timed(f"{READINGS}.load", {}, READINGS, "rows", lambda value: len(value) >= 1, path=path)

    def keystroke(self, tab: Tab, index: int, round_number: int) -> float:
        """«Type a value» into the meter's field (the form must have been loaded in this tab)."""
        resident = self.residents[index]
        value = (resident["last"] // 1000) + 1 + (index + round_number) % 5
        return tab.timed(
            f"{READINGS}.set_value",
            {"meter_id": resident["meter"], "value": str(value)},
            READINGS,
            "rows",
            path=self._readings_path(index),
        )

    def submit(self, tab: Tab, index: int, _round: int) -> float:
        """«Submit the reading» typed before, until the form is no longer busy: the saved notice, or an
        error shown on the form (kept in `refused`: e.g. a PostgreSQL deadlock between two residents
        submitting for one meter at once), which still counts as an event handled."""
        started = time.perf_counter()
        tab.send(f"{READINGS}.submit", {"confirm_jumps": True}, self._readings_path(index))
        finished, delta = tab.wait_for_delta(READINGS, "busy", lambda value: value is False)
        if not delta.get("saved_notice_rx_state_"):
            self.refused.append(str(delta.get("form_error_rx_state_", "")))
        return finished - started

    def reading(self, tab: Tab, index: int, round_number: int) -> float:
        """A submitted reading: the keystroke that types it, then the submit (only the submit is timed)."""
        self.keystroke(tab, index, round_number)
        return self.submit(tab, index, round_number)
