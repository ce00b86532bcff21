"""The benchmarks' minimal cabinet: a plain Reflex app reading the cabinet's own SQLite file.

What a resident needs first, written plainly — one State, sqlalchemy Core `text()` queries, one query per
page — so time to data and event cost can be compared with the cabinet side by side:

- the session token where the cabinet keeps it (`rx.LocalStorage` `cabinet_session`), checked on every load
  the way `cabinet/services/sessions.py::identify` does it: one query (token digest → user, the session
  neither revoked nor expired, the user not blocked), the expiry slid at most once a minute;
- `/login`: e-mail and password; the user looked up, a `login_sessions` row written as `start_session`
  writes it, the token kept, on to `/`. **No bcrypt**: the bench measures `checkpw` separately;
- `/`: the linked accounts (number, provider, what is to pay) in one query. «To pay» is the cabinet's
  `balance_of` in SQL — the registry's debt less the ledger since the start of the as-of day — with the
  resident's day taken as UTC+3 (Moscow has kept no summer time since 2014): an approximation on the same
  tables; the cards show nothing else (no meters, charts or last payment);
- `/payments`: the resident's payments, newest first, with their accounts, in one query;
- `/pay/[account_id]`: the account (one query, the dashboard's filtered to it) and an amount field.

Each load also empties what the other pages loaded, so no page shows a previous visit's figures while its
own load runs (the cabinet's `PageDataState.leave` does the same with an event of its own).

For `bench.events` (WebSocket, like the counter app there) three more events, addressed by STATE and the
names below: `load_dashboard` (the check and `/`'s query), `load_readings(account_id)` (the check and the
readings form's rows: each meter with its newest reading, one query) and `submit_reading(meter_id, value)`
(the check; this month's reading written as `cabinet/services/readings.py::_save` writes it — this month's
row replaced while the provider has not taken it, else a new one — with its `reading_submitted` audit row,
committed, then the rows read again; `saved_notice` changes on each). The month is the resident's calendar
month, not the provider's reading window; no rule of `check_readings` runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from bench.reference_app import reference_app

APP_NAME = "bench_minimal"
ROOT = "reflex___state____state"
# Reflex names a state after its module and class: <app>.<app>.MinimalState, snake-cased.
STATE = f"{ROOT}.{APP_NAME}___{APP_NAME}____minimal_state"
LOAD_DASHBOARD = f"{STATE}.load_dashboard"
LOAD_READINGS = f"{STATE}.load_readings"  # payload {"account_id": int}
SUBMIT_READING = f"{STATE}.submit_reading"  # payload {"meter_id": int, "value": "1234,5"}
# State vars whose deltas carry each event's result.
ACCOUNTS_VAR, ROWS_VAR, SAVED_VAR = "accounts", "rows", "saved_notice"

SOURCE = r'''
import datetime as dt, decimal, hashlib, json, os, secrets
import reflex as rx
import sqlalchemy as sa

ENGINE = sa.create_engine(os.environ["DATABASE_URL"], connect_args={"check_same_thread": False, "timeout": 30})
SIGNED_IN = sa.text("""SELECT u.id, u.email, u.full_name, u.role, s.remember, s.last_seen_at,
    EXISTS (SELECT 1 FROM staff_memberships m WHERE m.user_id = u.id)
  FROM login_sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = :digest AND s.revoked_at IS NULL AND s.expires_at > :now AND u.is_blocked = 0""")
TOUCH = sa.text("UPDATE login_sessions SET last_seen_at = :now, expires_at = :expires WHERE token_hash = :digest")
USER = sa.text("SELECT id FROM users WHERE email_canonical = :email AND is_blocked = 0 AND confirmed_at IS NOT NULL")
START = sa.text("""INSERT INTO login_sessions (user_id, token_hash, remember, client_address, user_agent,
  created_at, last_seen_at, expires_at) VALUES (:user_id, :digest, 1, '', '', :now, :now, :expires)""")
ACCOUNTS = sa.text("""SELECT a.id, a.number, p.name, a.debt_kopecks - COALESCE((SELECT SUM(e.amount_kopecks)
    FROM ledger_entries e WHERE e.account_id = a.id AND e.booked_at >= datetime(a.balance_as_of, '-3 hours')), 0)
  FROM account_links l JOIN provider_accounts a ON a.id = l.account_id JOIN providers p ON p.id = a.provider_id
  WHERE l.user_id = :user_id AND (:account_id = 0 OR a.id = :account_id) ORDER BY l.created_at, l.id""")
PAYMENTS = sa.text("""SELECT p.id, p.created_at, p.amount_kopecks, p.status, GROUP_CONCAT(a.number, ', ')
  FROM payments p LEFT JOIN payment_parts t ON t.payment_id = p.id LEFT JOIN provider_accounts a ON a.id = t.account_id
  WHERE p.user_id = :user_id GROUP BY p.id ORDER BY p.created_at DESC, p.id DESC""")
LINKED = "EXISTS (SELECT 1 FROM meters m JOIN account_links l ON l.account_id = m.account_id " \
    "WHERE m.id = :meter_id AND l.user_id = :user_id)"
METERS = sa.text("""SELECT m.id, m.kind, m.serial, COALESCE(r.value_thousandths, m.last_value_thousandths),
    COALESCE(r.period, m.last_value_date)
  FROM meters m JOIN account_links l ON l.account_id = m.account_id AND l.user_id = :user_id
  LEFT JOIN meter_readings r ON r.id = (SELECT id FROM meter_readings WHERE meter_id = m.id
    ORDER BY period DESC, submitted_at DESC LIMIT 1)
  WHERE m.account_id = CASE WHEN :account_id > 0 THEN :account_id
    ELSE (SELECT account_id FROM meters WHERE id = :meter_id) END ORDER BY m.kind, m.id""")
REPLACE = sa.text(f"""UPDATE meter_readings SET value_thousandths = :value, user_id = :user_id, source = 'resident',
    is_rollover = 0, outside_window = 0, updated_at = :now
  WHERE meter_id = :meter_id AND period = :period AND status = 'accepted' AND {LINKED}""")
INSERT = sa.text(f"""INSERT INTO meter_readings (meter_id, user_id, value_thousandths, period, source, status,
    is_rollover, outside_window, submitted_at, updated_at)
  SELECT :meter_id, :user_id, :value, :period, 'resident', 'accepted', 0, 0, :now, :now WHERE {LINKED}
    AND NOT EXISTS (SELECT 1 FROM meter_readings WHERE meter_id = :meter_id AND period = :period)""")
AUDIT = sa.text("""INSERT INTO audit_events (created_at, actor_user_id, action, target_type, target_id,
    client_address, details, provider_id)
  SELECT :now, :user_id, 'reading_submitted', 'meter', :meter_id, '', :details, a.provider_id
  FROM meters m JOIN provider_accounts a ON a.id = m.account_id WHERE m.id = :meter_id""")
MOSCOW = dt.timezone(dt.timedelta(hours=3))


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy's SQLite DateTime stores it


def rubles(kopecks: int) -> str:
    whole, part = divmod(abs(kopecks), 100)
    return ("−" if kopecks < 0 else "") + f"{whole:,}".replace(",", "\u00a0") + f",{part:02d} ₽"


def account_row(row) -> dict[str, str]:
    return {"id": str(row[0]), "number": row[1], "provider": row[2], "to_pay": rubles(row[3]),
            "amount_id": f"account-to-pay-{row[0]}", "pay_id": f"account-pay-{row[0]}", "href": f"/pay/{row[0]}"}


class MinimalState(rx.State):
    session_token: str = rx.LocalStorage("", name="cabinet_session", sync=True)
    user_id: int = 0
    error: str = ""
    accounts: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    pay: dict[str, str] = {}
    amount: str = ""
    rows: list[dict[str, str]] = []
    saved_notice: str = ""

    def _check(self) -> int:
        """sessions.identify: one query, and the expiry slid at most once a minute."""
        self.user_id = 0
        if not self.session_token or len(self.session_token) > 200:
            return 0
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        digest = hashlib.sha256(self.session_token.encode()).hexdigest()
        with ENGINE.connect() as db:
            row = db.execute(SIGNED_IN, {"digest": digest, "now": stamp(now)}).first()
            if row is not None and now - dt.datetime.fromisoformat(row[5]) >= dt.timedelta(minutes=1):
                expires = now + (dt.timedelta(days=30) if row[4] else dt.timedelta(hours=12))
                db.execute(TOUCH, {"now": stamp(now), "expires": stamp(expires), "digest": digest})
                db.commit()
        self.user_id = row[0] if row is not None else 0
        return self.user_id

    def _accounts(self, account_id: int = 0) -> list[dict[str, str]]:
        with ENGINE.connect() as db:
            found = db.execute(ACCOUNTS, {"user_id": self.user_id, "account_id": account_id})
            return [account_row(row) for row in found]

    def _meters(self, account_id: int = 0, meter_id: int = 0) -> list[dict[str, str]]:
        """The readings form's rows of an account, or of the account of `meter_id`."""
        with ENGINE.connect() as db:
            found = db.execute(METERS, {"user_id": self.user_id, "account_id": account_id, "meter_id": meter_id})
            return [{"id": str(r[0]), "kind": r[1], "serial": r[2], "last": str(r[3]), "period": str(r[4])}
                    for r in found]

    @rx.event
    def sign_in(self, form: dict):
        email = str(form.get("email", "")).strip().lower()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with ENGINE.begin() as db:
            user = db.execute(USER, {"email": email}).first()
            if user is None:
                self.error = "Неверный адрес или пароль"
                return
            token = secrets.token_urlsafe(32)
            db.execute(START, {"user_id": user[0], "digest": hashlib.sha256(token.encode()).hexdigest(),
                               "now": stamp(now), "expires": stamp(now + dt.timedelta(days=30))})
        self.error, self.session_token = "", token
        return rx.redirect("/")

    @rx.event
    def load_dashboard(self):
        self.payments, self.pay = [], {}
        if not self._check():
            return rx.redirect("/login")
        self.accounts = self._accounts()

    @rx.event
    def load_payments(self):
        self.accounts, self.pay = [], {}
        if not self._check():
            return rx.redirect("/login")
        with ENGINE.connect() as db:
            found = db.execute(PAYMENTS, {"user_id": self.user_id})
            self.payments = [{"row_id": f"history-row-{r[0]}", "when": str(r[1])[:16], "amount": rubles(r[2]),
                              "status": r[3], "accounts": r[4] or ""} for r in found]

    @rx.event
    def load_pay(self):
        self.accounts, self.payments, self.pay = [], [], {}
        if not self._check():
            return rx.redirect("/login")
        tail = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        found = self._accounts(int(tail)) if tail.isdigit() else []
        self.pay = found[0] if found else {"number": "", "provider": "Не найдено", "to_pay": ""}

    @rx.event
    def set_amount(self, value: str):
        self.amount = value[:20]

    @rx.event
    def load_readings(self, account_id: int):
        self.rows = self._meters(int(account_id)) if self._check() else []

    @rx.event
    def submit_reading(self, meter_id: int, value: str):
        if not self._check():
            return
        try:
            thousandths = int(decimal.Decimal(str(value).replace(",", ".").replace(" ", "")) * 1000)
        except decimal.InvalidOperation:
            self.error = "Неверное значение"
            return
        now = dt.datetime.now(dt.UTC)
        period = now.astimezone(MOSCOW).date().replace(day=1).isoformat()
        values = {"meter_id": int(meter_id), "user_id": self.user_id, "value": thousandths, "period": period,
                  "now": stamp(now.replace(tzinfo=None))}
        details = json.dumps({"period": period, "source": "resident", "value": thousandths}, sort_keys=True)
        with ENGINE.begin() as db:
            written = db.execute(REPLACE, values).rowcount or db.execute(INSERT, values).rowcount
            if written:
                db.execute(AUDIT, {**values, "meter_id": int(meter_id), "details": details})
        self.rows = self._meters(meter_id=int(meter_id))
        self.saved_notice = f"Показания приняты {now:%H:%M:%S.%f}" if written else ""


def shell(*children) -> rx.Component:
    return rx.box(
        rx.hstack(rx.link("Счета", href="/", id="nav-home"), rx.link("Платежи", href="/payments", id="nav-payments")),
        *children,
        padding="16px",
        custom_attrs={"data-hydrated": rx.State.is_hydrated.to_string()},
    )


def card(account) -> rx.Component:
    return rx.card(rx.hstack(
        rx.text(account["provider"]), rx.text(account["number"]),
        rx.text(account["to_pay"], id=account["amount_id"], weight="bold"),
        rx.link(rx.button("Оплатить онлайн"), href=account["href"], id=account["pay_id"]),
    ))


def index() -> rx.Component:
    return shell(rx.heading("Мои счета"), rx.foreach(MinimalState.accounts, card))


def payments_page() -> rx.Component:
    row = lambda p: rx.hstack(rx.text(p["when"]), rx.text(p["accounts"]), rx.text(p["amount"]), rx.text(p["status"]),
                              id=p["row_id"])
    return shell(rx.heading("Платежи"), rx.foreach(MinimalState.payments, row))


def pay_page() -> rx.Component:
    form = rx.vstack(
        rx.heading(MinimalState.pay["provider"]), rx.text(MinimalState.pay["number"]),
        rx.text("К оплате: ", MinimalState.pay["to_pay"]),
        rx.input(value=MinimalState.amount, on_change=MinimalState.set_amount, id="pay-amount", placeholder="1500,00"),
    )
    return shell(rx.cond(MinimalState.pay, form, rx.text("Загрузка…")))


def login() -> rx.Component:
    return shell(rx.form(rx.vstack(
        rx.input(name="email", id="login-email", type="email"),
        rx.input(name="password", id="login-password", type="password"),
        rx.button("Войти", type="submit", id="login-submit"),
        rx.text(MinimalState.error, id="login-error"),
    ), on_submit=MinimalState.sign_in))


app = rx.App()
app.add_page(index, route="/", on_load=MinimalState.load_dashboard)
app.add_page(payments_page, route="/payments", on_load=MinimalState.load_payments)
app.add_page(pay_page, route="/pay/[account_id]", on_load=MinimalState.load_pay)
app.add_page(login, route="/login")
'''


@contextlib.contextmanager
def minimal_app(database_url: str) -> Iterator[str]:
    """Serves the minimal app on `database_url` (the cabinet's SQLite file), built and run like the cabinet
    (`reflex run --env prod`); yields its URL."""
    with reference_app(
        prefix="reflex-minimal-", source=SOURCE, app_name=APP_NAME, extra_env={"DATABASE_URL": database_url}
    ) as (url, _module):
        yield url
