"""Demo data: enough variety to show every feature, valid by the providers' own rules, idempotent."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlmodel import SQLModel, select

from cabinet.models import AccountChecksum, Meter, MeterReading, Provider, ProviderAccount, User
from cabinet.services.access import staff_scope_of
from cabinet.services.accounts import luhn_is_valid
from cabinet.services.demo import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    RESIDENT_EMAIL,
    RESIDENT_PASSWORD,
    STAFF_PASSWORD,
    operator_email,
    seed_demo,
    viewer_email,
)
from cabinet.services.demo_data import PROVIDERS
from cabinet.services.passwords import verify_password

TODAY = dt.date(2026, 11, 25)
ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _inn_is_valid(inn: str) -> bool:
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return (
        len(inn) == 10
        and inn.isdigit()
        and sum(int(d) * w for d, w in zip(inn, weights, strict=False)) % 11 % 10 == int(inn[9])
    )


def _dump(session) -> dict:
    return {
        table.name: sorted(tuple(str(v) for v in row) for row in session.execute(table.select()))
        for table in SQLModel.metadata.sorted_tables
    }


def test_demo_has_variety_and_valid_data(session):
    seed_demo(session=session, today=TODAY)
    providers = session.exec(select(Provider)).all()
    accounts = session.exec(select(ProviderAccount)).all()
    assert len(providers) >= 3 and len({p.account_pattern for p in providers}) == len(providers)
    assert len(accounts) >= 20
    debts = [a.debt_kopecks for a in accounts]
    assert any(d == 0 for d in debts) and any(d < 0 for d in debts) and any(d > 0 for d in debts)
    assert len({m.kind for m in session.exec(select(Meter))}) >= 4
    by_id = {p.id: p for p in providers}
    for provider in providers:
        assert _inn_is_valid(provider.inn), provider.inn
        assert re.fullmatch(provider.account_pattern, provider.account_example)
        assert (ASSETS / provider.receipt_image.lstrip("/")).exists()
    for account in accounts:
        provider = by_id[account.provider_id]
        assert re.fullmatch(provider.account_pattern, account.number), account.number
        if provider.account_checksum == AccountChecksum.luhn:
            assert luhn_is_valid(account.number), account.number


def test_demo_logins_work(session):
    seed_demo(session=session, today=TODAY)
    admin = session.exec(select(User).where(User.email_canonical == ADMIN_EMAIL)).one()
    resident = session.exec(select(User).where(User.email_canonical == RESIDENT_EMAIL)).one()
    assert admin.role == "admin" and admin.confirmed_at is not None
    assert verify_password(ADMIN_PASSWORD, admin.password_hash)
    assert verify_password(RESIDENT_PASSWORD, resident.password_hash)


def test_demo_staff_work_for_their_provider(session):
    """An operator of every provider and a viewer of the first one, each seeing that provider alone."""
    seed_demo(session=session, today=TODAY)
    by_inn = {provider.inn: provider.id for provider in session.exec(select(Provider))}
    for spec in PROVIDERS:
        operator = session.exec(select(User).where(User.email_canonical == operator_email(spec["slug"]))).one()
        scope = staff_scope_of(session, operator)
        assert scope is not None and scope.visible_ids == scope.operated_ids == {by_inn[spec["inn"]]}
        assert verify_password(STAFF_PASSWORD, operator.password_hash) and operator.role == "resident"
    first = PROVIDERS[0]
    viewer = session.exec(select(User).where(User.email_canonical == viewer_email(first["slug"]))).one()
    scope = staff_scope_of(session, viewer)
    assert scope is not None and scope.visible_ids == {by_inn[first["inn"]]} and scope.operated_ids == frozenset()
    assert operator_email("vodokanal") == "operator.vodokanal@example.com"


def test_readings_history_never_decreases_and_ends_at_the_last_value(session):
    seed_demo(session=session, today=TODAY)
    meters = session.exec(select(Meter)).all()
    with_history = 0
    for meter in meters:
        values = [
            r.value_thousandths
            for r in session.exec(
                select(MeterReading).where(MeterReading.meter_id == meter.id).order_by(MeterReading.period)
            )
        ]
        if values:
            with_history += 1
            assert len(values) == 12
            assert values == sorted(values) and values[0] >= 0
            assert values[-1] == meter.last_value_thousandths
    assert with_history >= 3


def test_second_run_changes_nothing(session):
    first = seed_demo(session=session, today=TODAY)
    session.commit()
    before = _dump(session)
    second = seed_demo(session=session, today=TODAY)
    session.commit()
    assert first.created > 0 and second.created == 0
    assert _dump(session) == before


def test_summary_names_logins_and_sample_accounts(session):
    text = seed_demo(session=session, today=TODAY).describe(public_url="http://localhost:3000", mailbox=True)
    assert "http://localhost:3000" in text and RESIDENT_EMAIL in text and ADMIN_PASSWORD in text
    assert "PIN" in text and "last bill" in text and "meter" in text
    assert "http://localhost:3000/dev/mailbox" in text
    assert operator_email(PROVIDERS[0]["slug"]) in text and viewer_email(PROVIDERS[0]["slug"]) in text
    assert STAFF_PASSWORD in text


def test_summary_outside_demo_mode_points_at_no_mailbox(session):
    """With real letters there is no /dev/mailbox: the summary must not send anyone looking for it."""
    text = seed_demo(session=session, today=TODAY).describe(public_url="https://lk.example.ru", mailbox=False)
    assert "https://lk.example.ru" in text and "/dev/mailbox" not in text
