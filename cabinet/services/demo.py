"""Demo data for `make run`: providers of a fictional town, their registries, the logins — the platform
administrator, a resident, an operator of every provider and a viewer of the first one.

Idempotent: a second run finds every row and changes nothing. The data itself is in demo_data.py,
the resident's year of readings in demo_readings.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from cabinet.models import (
    AccountLink,
    Meter,
    OwnershipCheck,
    Provider,
    ProviderAccount,
    StaffMembership,
    StaffRole,
    UserRole,
)
from cabinet.services.demo_data import (
    ACCOUNTS,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEBTS,
    METERS,
    OWNERS,
    PINS,
    PROVIDERS,
    RESIDENT_EMAIL,
    RESIDENT_LINKS,
    RESIDENT_PASSWORD,
    STAFF_PASSWORD,
    STREETS,
    operator_email,
    viewer_email,
)
from cabinet.services.demo_readings import first_of_month_back, seed_history
from cabinet.services.demo_reminders import seed_reminders
from cabinet.services.demo_rows import demo_user, upsert
from cabinet.services.pins import pin_digest

# The logins are the data's; named here too for `python -m cabinet seed-demo` and the tests.
__all__ = [
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "RESIDENT_EMAIL",
    "RESIDENT_PASSWORD",
    "STAFF_PASSWORD",
    "DemoSummary",
    "operator_email",
    "seed_demo",
    "viewer_email",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


@dataclass(frozen=True)
class DemoAccountSample:
    provider: str
    number: str
    second_field: str = ""


@dataclass(frozen=True)
class DemoSummary:
    logins: list[DemoLogin] = field(default_factory=list)
    samples: list[DemoAccountSample] = field(default_factory=list)
    created: int = 0

    def describe(self, *, public_url: str, mailbox: bool) -> str:
        lines = [
            "",
            f"  Кабинет is ready: {public_url}",
            *([f"  Demo mailbox:     {public_url}/dev/mailbox"] if mailbox else []),
            "",
            "  Demo logins",
        ]
        lines += [f"    {login.role:<9} {login.email:<34} password {login.password}" for login in self.logins]
        lines += ["", "  Accounts a new resident can connect"]
        lines += [
            f"    {sample.provider:<30} {sample.number:<14} {sample.second_field}".rstrip() for sample in self.samples
        ]
        lines.append("")
        return "\n".join(lines)


@dataclass
class _Seeded:
    """What seeding has written so far (a count), and what the resident's links and the summary take from it."""

    writes: int = 0
    providers_by_slug: dict[str, Provider] = field(default_factory=dict)
    accounts_by_slug: dict[str, list[ProviderAccount]] = field(default_factory=dict)
    meters_by_account: dict[int, list[Meter]] = field(default_factory=dict)
    samples: list[DemoAccountSample] = field(default_factory=list)


def seed_demo(*, session: Session, today: dt.date) -> DemoSummary:
    now = dt.datetime.combine(today, dt.time(6, 0), tzinfo=dt.UTC)
    seeded = _Seeded()
    for provider_index, spec in enumerate(PROVIDERS):
        _seed_provider(session, seeded, provider_index, spec, today=today, now=now)
    _seed_people(session, seeded, today=today, now=now)
    seeded.writes += seed_reminders(
        session,
        always_open=seeded.providers_by_slug["gaz-servis"],
        shared=seeded.accounts_by_slug["gaz-servis"][0],
        billed=seeded.accounts_by_slug["vodokanal"][0],
        now=now,
    )
    staff = _seed_staff(session, seeded, now=now)
    return DemoSummary(
        logins=[
            DemoLogin("admin", ADMIN_EMAIL, ADMIN_PASSWORD),
            DemoLogin("resident", RESIDENT_EMAIL, RESIDENT_PASSWORD),
            *staff,
        ],
        samples=seeded.samples,
        created=seeded.writes,
    )


def _seed_provider(
    session: Session, seeded: _Seeded, provider_index: int, spec: dict, *, today: dt.date, now: dt.datetime
) -> None:
    """The provider, its accounts and their meters, and the account the summary offers to connect."""
    values = {k: v for k, v in spec.items() if k not in ("slug", "inn")}
    values["receipt_image"] = f"/receipts/{spec['slug']}.svg"
    provider, wrote = upsert(session, Provider, {"inn": spec["inn"]}, values, now)
    seeded.writes += wrote
    seeded.providers_by_slug[spec["slug"]] = provider
    seeded.accounts_by_slug[spec["slug"]] = []
    for position, number in enumerate(ACCOUNTS[spec["slug"]]):
        account = _seed_account(session, seeded, provider, provider_index, spec, position, number, today=today, now=now)
        seeded.accounts_by_slug[spec["slug"]].append(account)
        # Every fourth account has no meters, as many flats do.
        if position % 4 == 3:
            seeded.meters_by_account[account.id] = []
            continue
        seeded.meters_by_account[account.id] = _seed_meters(
            session, seeded, account, provider_index, spec, position, today=today, now=now
        )
    sample_account = seeded.accounts_by_slug[spec["slug"]][1]
    seeded.samples.append(_sample(spec, sample_account, seeded.meters_by_account[sample_account.id]))


def _seed_account(
    session: Session,
    seeded: _Seeded,
    provider: Provider,
    provider_index: int,
    spec: dict,
    position: int,
    number: str,
    *,
    today: dt.date,
    now: dt.datetime,
) -> ProviderAccount:
    debt, penalty = DEBTS[(position + provider_index) % len(DEBTS)]
    street = STREETS[(position + provider_index) % len(STREETS)]
    account_values = dict(
        address=f"г. Заречный, {street}, д. {position * 3 + provider_index + 2}, кв. {position * 11 + 5}",
        owner_name=OWNERS[(position + provider_index * 2) % len(OWNERS)],
        debt_kopecks=debt,
        penalty_kopecks=penalty,
        balance_as_of=today.replace(day=1),
        last_bill_kopecks=max(debt, 0) + 184_250 if spec["ownership_check"] == OwnershipCheck.last_bill else None,
    )
    account, wrote = upsert(
        session, ProviderAccount, {"provider_id": provider.id, "number": number}, account_values, now
    )
    seeded.writes += wrote
    if spec["ownership_check"] == OwnershipCheck.pin and account.pin_hash is None:
        account.pin_hash = pin_digest(number=account.number, pin=PINS[position])
        session.add(account)
        seeded.writes += 1
    return account


def _seed_meters(
    session: Session,
    seeded: _Seeded,
    account: ProviderAccount,
    provider_index: int,
    spec: dict,
    position: int,
    *,
    today: dt.date,
    now: dt.datetime,
) -> list[Meter]:
    last_reading_date = first_of_month_back(today, 1).replace(day=25)
    meters = []
    for meter_index, (kind, whole, fraction, tariff, typical) in enumerate(METERS[spec["slug"]]):
        serial = f"{spec['slug'][:2].upper()}{provider_index}{position}{meter_index}{account.number[-4:]}"
        # Valid for years, due within the reminder's 30 days, expired days ago: each kind of reminder is due.
        verified = [today.replace(year=today.year + 3), today + dt.timedelta(days=20), today - dt.timedelta(days=10)]
        meter, wrote = upsert(
            session,
            Meter,
            {"account_id": account.id, "kind": kind, "serial": serial},
            dict(
                digits_whole=whole,
                digits_fraction=fraction,
                tariff_kopecks=tariff,
                last_value_thousandths=typical * (40 + position * 7 + meter_index * 3),
                last_value_date=last_reading_date,
                verified_until=verified[(position + meter_index + provider_index) % 3],
            ),
            now,
        )
        seeded.writes += wrote
        meters.append(meter)
    return meters


def _sample(spec: dict, sample_account: ProviderAccount, meters: list[Meter]) -> DemoAccountSample:
    """An account a new resident can connect, with the second field its provider asks for."""
    second = ""
    if spec["ownership_check"] == OwnershipCheck.last_bill:
        second = f"last bill {sample_account.last_bill_kopecks // 100},{sample_account.last_bill_kopecks % 100:02d}"
    elif spec["ownership_check"] == OwnershipCheck.pin:
        second = f"PIN {PINS[1]}"
    elif spec["ownership_check"] == OwnershipCheck.meter_serial:
        second = f"meter {meters[0].serial}"
    return DemoAccountSample(provider=spec["name"], number=sample_account.number, second_field=second)


def _seed_people(session: Session, seeded: _Seeded, *, today: dt.date, now: dt.datetime) -> None:
    """The two logins, the resident's linked accounts and a year of readings on their meters."""
    _admin, wrote = demo_user(
        session, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, role=UserRole.admin, now=now, full_name="Оператор Демо"
    )
    seeded.writes += wrote
    resident, wrote = demo_user(
        session,
        email=RESIDENT_EMAIL,
        password=RESIDENT_PASSWORD,
        role=UserRole.resident,
        now=now,
        full_name="Иванов Иван Иванович",
        phone="+79123456789",
    )
    seeded.writes += wrote
    for slug, position, nickname in RESIDENT_LINKS:
        account = seeded.accounts_by_slug[slug][position]
        _link, wrote = upsert(
            session, AccountLink, {"user_id": resident.id, "account_id": account.id}, {"nickname": nickname}, now
        )
        seeded.writes += wrote
        for meter_index, meter in enumerate(seeded.meters_by_account[account.id]):
            seeded.writes += seed_history(
                session, meter=meter, user_id=resident.id, today=today, seed=meter_index + position
            )


def _seed_staff(session: Session, seeded: _Seeded, *, now: dt.datetime) -> list[DemoLogin]:
    """An operator of every provider and a viewer of the first one: users with a membership each."""
    first = PROVIDERS[0]["slug"]
    people = [(operator_email(spec["slug"]), spec["slug"], StaffRole.operator) for spec in PROVIDERS]
    people.append((viewer_email(first), first, StaffRole.viewer))
    logins = []
    for email, slug, role in people:
        user, wrote = demo_user(
            session, email=email, password=STAFF_PASSWORD, role=UserRole.resident, now=now, full_name=_staff_name(role)
        )
        seeded.writes += wrote
        provider = seeded.providers_by_slug[slug]
        _membership, wrote = upsert(
            session, StaffMembership, {"user_id": user.id, "provider_id": provider.id}, {"role": role}, now
        )
        seeded.writes += wrote
        logins.append(DemoLogin(role.value, email, STAFF_PASSWORD))
    return logins


def _staff_name(role: StaffRole) -> str:
    return "Оператор поставщика" if role == StaffRole.operator else "Наблюдатель поставщика"
