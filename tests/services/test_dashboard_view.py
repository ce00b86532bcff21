"""The dashboard in words: what is owed, overpaid or settled, the meters' badges, the window, the charts, the entry."""

from __future__ import annotations

import datetime as dt

import pytest

from cabinet.errors import DomainError
from cabinet.models import AccountLink, MeterReading, PaymentStatus
from cabinet.services import dashboard_view
from cabinet.services.dashboard import AccountCard, Balance
from cabinet.services.reading_history import MeterSummary
from cabinet.services.reading_rules import Window, WindowState
from tests.factories import make_account, make_meter, make_payment, make_provider, make_user

NBSP = "\u00a0"
TODAY = dt.date(2026, 11, 20)
# 20 November 2026, noon in Moscow.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
OPEN = WindowState(
    is_open=True, window=Window(dt.date(2026, 11, 1), dt.date(2026, 11, 15), dt.date(2026, 11, 25)), days_left=6
)
CLOSED = WindowState(
    is_open=False, window=Window(dt.date(2026, 12, 1), dt.date(2026, 12, 15), dt.date(2026, 12, 25)), days_until_open=25
)


def _meter(**changes) -> MeterSummary:
    values = dict(
        meter_id=7,
        kind="hot_water",
        serial="",
        digits_whole=5,
        digits_fraction=3,
        last_value=None,
        last_day=None,
        last_source="",
        this_period_value=None,
        this_period_editable=False,
        previous=None,
        verified_until=None,
        tariff_kopecks=None,
        monthly_use=[],
    )
    values.update(changes)
    return MeterSummary(**values)


def _card(*, to_pay=0, penalty=0, paid_since=0, meters=(), window=OPEN, blocks=True) -> AccountCard:
    balance = Balance(
        to_pay_kopecks=to_pay,
        penalty_kopecks=penalty,
        registry_debt_kopecks=to_pay + paid_since,
        paid_since_kopecks=paid_since,
        as_of=dt.date(2026, 11, 1),
    )
    return AccountCard(
        account_id=3,
        provider_id=1,
        provider_name="Водоканал",
        number="0000000001",
        nickname="",
        address="ул. Садовая, 1",
        balance=balance,
        last_payment=None,
        meters=list(meters),
        window=window,
        window_blocks=blocks,
        unavailable_message="",
        support_email="",
    )


@pytest.mark.parametrize(
    ("to_pay", "label", "amount", "state", "color"),
    [
        (150_000, "К оплате", f"1{NBSP}500,00{NBSP}₽", "owe", "gray"),
        (0, "К оплате", "Долга нет", "none", "grass"),
        (-30_000, "Переплата", f"300,00{NBSP}₽", "overpaid", "grass"),
    ],
)
def test_the_amount_reads_as_owed_settled_or_overpaid(to_pay, label, amount, state, color):
    view = dashboard_view.account_view(_card(to_pay=to_pay), TODAY)
    assert (view.to_pay_label, view.to_pay_text, view.to_pay_state, view.to_pay_color) == (label, amount, state, color)


def test_penalty_as_of_and_payments_since_are_spelled_out():
    view = dashboard_view.account_view(_card(to_pay=150_000, penalty=12_000, paid_since=5_000), TODAY)
    assert view.penalty_text == f"в том числе пени 120,00{NBSP}₽"
    assert view.as_of_text == f"по данным на 01.11.2026; учтены оплаты после этой даты: 50,00{NBSP}₽"
    assert view.last_payment_text == "Оплат через кабинет ещё не было"
    assert dashboard_view.account_view(_card(to_pay=150_000), TODAY).penalty_text == ""


@pytest.mark.parametrize(
    ("window", "blocks", "text"),
    [
        (OPEN, True, "Приём показаний до 25.11, осталось 6 дней"),
        (CLOSED, True, "Приём показаний откроется 15.12"),
        (CLOSED, False, "Приём показаний с 15.12 по 25.12; сейчас показания примут с пометкой"),
    ],
)
def test_the_window_badge(window, blocks, text):
    view = dashboard_view.account_view(_card(meters=[_meter()], window=window, blocks=blocks), TODAY)
    assert (view.window_text, view.window_open) == (text, window.is_open)
    # Without meters there is no window to speak of.
    assert dashboard_view.account_view(_card(window=window, blocks=blocks), TODAY).window_text == ""


@pytest.mark.parametrize(
    ("days", "state", "text", "color", "outlined"),
    [
        (-1, "expired", "Срок поверки истёк 19.11.2026 — показания могут не принять", "red", False),
        (30, "soon", "Поверка до 20.12.2026 — пора её заказать", "amber", False),
        (61, "ok", "Поверка до 20.01.2027", "gray", True),
    ],
)
def test_the_verification_badge(days, state, text, color, outlined):
    view = dashboard_view.meter_view(_meter(verified_until=TODAY + dt.timedelta(days=days)), TODAY)
    assert (view.verification, view.verification_text, view.verification_color, view.verification_outlined) == (
        state,
        text,
        color,
        outlined,
    )


def test_a_meter_reads_with_its_last_value_and_chart():
    meter = _meter(
        serial="A1",
        last_value=1_234_500,
        last_day=dt.date(2026, 10, 20),
        last_source="registry_import",
        monthly_use=[(dt.date(2026, 9, 1), 3_000), (dt.date(2026, 10, 1), 2_500)],
    )
    view = dashboard_view.meter_view(meter, TODAY)
    assert (view.kind, view.unit, view.serial) == ("Горячая вода", "м³", "№ A1")
    assert view.last_text == f"1{NBSP}234,500 м³ · 20.10.2026, по данным поставщика"
    assert (view.verification, view.verification_text) == ("unknown", "")
    chart = dashboard_view.meter_chart(meter)
    assert (chart.meter_id, chart.title) == (view.meter_id, "Горячая вода, м³")
    assert chart.points == [{"month": "сен 26", "value": 3.0}, {"month": "окт 26", "value": 2.5}]


def test_the_entry_shows_every_linked_account(session, app_database):
    provider = make_provider(session, reading_window_start_day=15, reading_window_end_day=25)
    account = make_account(session, provider, debt_kopecks=250_000, balance_as_of=dt.date(2026, 11, 1))
    meter = make_meter(session, account)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id, nickname="Дача"))
    for month, value in ((9, 10_000), (10, 12_000)):
        session.add(
            MeterReading(
                meter_id=meter.id,
                value_thousandths=value,
                period=dt.date(2026, month, 1),
                source="resident",
                submitted_at=dt.datetime(2026, month, 20, 9, tzinfo=dt.UTC),
            )
        )
    paid_at = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC)
    make_payment(session, user, account, 70_000, status=PaymentStatus.succeeded, when=paid_at)
    other = make_user(session)
    session.commit()

    (view,) = dashboard_view.dashboard_of(user_id=user.id, now=NOW)
    assert (view.account_id, view.nickname, view.provider) == (account.id, "Дача", provider.name)
    assert view.to_pay_text == f"1{NBSP}800,00{NBSP}₽" and view.to_pay_state == "owe"
    assert view.last_payment_text == f"Последняя оплата: 700,00{NBSP}₽, 05.11.2026 12:00"
    assert view.window_open
    (meter_view,) = view.meters
    assert meter_view.meter_id == meter.id and meter_view.last_text.startswith("12,000 м³ · 20.10.2026")
    assert dashboard_view.dashboard_of(user_id=other.id, now=NOW) == []

    charts = dashboard_view.charts_of(user_id=user.id, account_id=account.id, now=NOW)
    assert charts.account_id == account.id and charts.has_payments
    assert charts.payments[-1] == {"month": "ноя 26", "value": 700.0} and len(charts.payments) == 12
    (meter_chart,) = charts.meters
    assert meter_chart.meter_id == meter.id and meter_chart.points[-1] == {"month": "окт 26", "value": 2.0}
    with pytest.raises(DomainError):
        dashboard_view.charts_of(user_id=other.id, account_id=account.id, now=NOW)
