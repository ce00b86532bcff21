"""Simulated residents of the cabinet: seeded in its database, signed in over the socket, and the
events a resident sends — what `bench.events` and `bench.signin_load` drive.

The residents share the demo gas account (one account, one meter, a year of charts, always open
for readings), so every submit writes the rows every other resident reads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.socket_client import ROOT, Tab

PROJECT = Path(__file__).resolve().parents[1]
DASHBOARD = f"{ROOT}.cabinet___state___dashboard____dashboard_state"
READINGS = f"{ROOT}.cabinet___state___readings____readings_state"
SESSION = f"{ROOT}.cabinet___state___session____session_state"
UPDATE_VARS = f"{ROOT}.reflex___state____update_vars_internal_state.update_vars_internal"

_SEED = """
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


def seed(app, residents: int, bcrypt_rounds: int = 4) -> dict:
    """Residents linked to the demo gas account, each with a session: {tokens, account, meter, last}."""
    env = {**app.env, "BCRYPT_ROUNDS": str(bcrypt_rounds)}
    result = subprocess.run(
        [sys.executable, "-c", _SEED.format(residents=residents)],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


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
        self.seeded = seeded
        self.readings_path = f"/accounts/{seeded['account']}/readings"

    def open_tab(self, base: str, index: int) -> Tab:
        return signed_in_tab(base, self.seeded["tokens"][index])

    def dashboard(self, tab: Tab, _index: int, _round: int) -> float:
        """«Open the dashboard»: its load, until the account cards arrive."""
        return tab.timed(f"{DASHBOARD}.load", {}, DASHBOARD, "accounts", lambda value: len(value) >= 1, path="/")

    def readings_form(self, tab: Tab, _index: int, _round: int) -> float:
        """«Open the readings form»: its load, until the meter rows arrive."""
        return tab.timed(
            f"{READINGS}.load", {}, READINGS, "rows", lambda value: len(value) >= 1, path=self.readings_path
        )

    def keystroke(self, tab: Tab, index: int, round_number: int) -> float:
        """«Type a value» into the meter's field (the form must have been loaded in this tab)."""
        value = (self.seeded["last"] // 1000) + 1 + (index + round_number) % 5
        return tab.timed(
            f"{READINGS}.set_value",
            {"meter_id": self.seeded["meter"], "value": str(value)},
            READINGS,
            "rows",
            path=self.readings_path,
        )

    def submit(self, tab: Tab, _index: int, _round: int) -> float:
        """«Submit the reading» typed before, until the saved notice arrives."""
        return tab.timed(
            f"{READINGS}.submit",
            {"confirm_jumps": True},
            READINGS,
            "saved_notice",
            lambda value: bool(value),
            path=self.readings_path,
        )

    def reading(self, tab: Tab, index: int, round_number: int) -> float:
        """A submitted reading: the keystroke that types it, then the submit (only the submit is timed)."""
        self.keystroke(tab, index, round_number)
        return self.submit(tab, index, round_number)
