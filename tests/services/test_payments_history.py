"""The resident's payments: the list's filters, and the history page's rows, total and filters as applied."""

from __future__ import annotations

import datetime as dt

from cabinet.models import AccountLink, PaymentStatus
from cabinet.services import payments
from tests.factories import make_account, make_payment, make_provider, make_user


def test_history_filters_by_account_period_and_status_and_shows_only_ones_own(session):
    provider = make_provider(session)
    flat, dacha = make_account(session, provider), make_account(session, provider)
    user, neighbour = make_user(session), make_user(session)
    session.add_all(
        [
            AccountLink(user_id=user.id, account_id=flat.id),
            AccountLink(user_id=user.id, account_id=dacha.id),
            AccountLink(user_id=neighbour.id, account_id=flat.id),
        ]
    )
    utc = dt.UTC

    def made(owner, account, day: dt.datetime, status=PaymentStatus.succeeded) -> int:
        return make_payment(session, owner, account, 10_000, status=status, when=day).id

    flat_sep = made(user, flat, dt.datetime(2026, 9, 10, 12, tzinfo=utc))
    dacha_oct = made(user, dacha, dt.datetime(2026, 10, 5, 12, tzinfo=utc), PaymentStatus.canceled)
    flat_nov = made(user, flat, dt.datetime(2026, 11, 1, 9, tzinfo=utc))
    dacha_nov = made(user, dacha, dt.datetime(2026, 11, 20, 9, tzinfo=utc))
    made(neighbour, flat, dt.datetime(2026, 11, 21, 9, tzinfo=utc))

    def ids(**filters) -> list[int]:
        found = payments.payments_of(session, user_id=user.id, **filters)
        return [line.payment.id for line in found]

    assert ids() == [dacha_nov, flat_nov, dacha_oct, flat_sep]  # newest first, the neighbour's left out
    assert ids(account_id=flat.id) == [flat_nov, flat_sep]
    assert ids(account_id=dacha.id) == [dacha_nov, dacha_oct]
    november = dt.datetime(2026, 10, 31, 21, tzinfo=utc)  # 1 November 00:00 in Moscow
    assert ids(since=november) == [dacha_nov, flat_nov]
    assert ids(since=dt.datetime(2026, 10, 1, tzinfo=utc), until=november) == [dacha_oct]
    assert ids(until=dt.datetime(2026, 9, 10, 12, tzinfo=utc)) == []  # the end is exclusive
    assert ids(account_id=flat.id, since=november) == [flat_nov]
    assert ids(status=PaymentStatus.canceled) == [dacha_oct]
    assert ids(account_id=flat.id, status=PaymentStatus.canceled) == []
    # The neighbour shares the flat's account but sees only their own payment of it.
    assert len(payments.payments_of(session, user_id=neighbour.id, account_id=flat.id)) == 1
    assert payments.payments_of(session, user_id=neighbour.id, account_id=dacha.id) == []


def test_the_history_page_totals_only_what_was_paid_and_reads_odd_filters_as_all(session):
    provider = make_provider(session, name="Газ-Сервис")
    flat = make_account(session, provider)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=flat.id, nickname="Квартира"))
    day = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    for number, status in enumerate(
        [
            PaymentStatus.succeeded,
            PaymentStatus.succeeded,
            PaymentStatus.canceled,
            PaymentStatus.failed,
            PaymentStatus.pending,
        ]
    ):
        make_payment(session, user, flat, 10_000 * (number + 1), status=status, when=day)
    session.commit()

    shown = payments.history(
        session=session,
        user_id=user.id,
        account_filter="99999999999",
        period_filter="decade",
        status_filter="refunded",
        now=day,
    )

    assert (shown.account_filter, shown.period_filter, shown.status_filter) == ("all", "all", "all")
    assert len(shown.rows) == 5
    assert shown.total_text == "Оплачено за период: 300,00\u00a0₽"  # 100 + 200; not the canceled, failed, pending
    assert [(option.value, option.label) for option in shown.accounts] == [
        ("all", "Все счета"),
        (str(flat.id), f"Квартира · {flat.number}"),
    ]
    row = shown.rows[-1]
    assert (row.status, row.status_label, row.status_color, row.created_text) == (
        "succeeded",
        "Оплачено",
        "grass",
        "20.11.2026 12:00",
    )

    canceled = payments.history(
        session=session,
        user_id=user.id,
        account_filter=str(flat.id),
        period_filter="month",
        status_filter="canceled",
        now=day,
    )
    assert [row.amount_text for row in canceled.rows] == ["300,00\u00a0₽"]
    assert canceled.total_text == "Оплачено за период: 0,00\u00a0₽"
    assert (canceled.account_filter, canceled.period_filter, canceled.status_filter) == (
        str(flat.id),
        "month",
        "canceled",
    )
