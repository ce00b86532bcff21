"""Demo data for `make run`: providers of a fictional town, their registries, two logins.

Idempotent: a second run finds every row and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, SQLModel, select

from cabinet.models import (
    AccountChecksum,
    AccountLink,
    Meter,
    MeterKind,
    MeterReading,
    OwnershipCheck,
    Provider,
    ProviderAccount,
    ReadingSource,
    ReadingStatus,
    ReadingWindowPolicy,
    User,
    UserRole,
)
from cabinet.services.passwords import hash_password
from cabinet.services.pins import pin_digest

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "admin2026"
RESIDENT_EMAIL, RESIDENT_PASSWORD = "resident@example.com", "demo2026"

PROVIDERS = [
    dict(
        slug="vodokanal",
        name="МУП «Водоканал» г. Заречный",
        inn="6609012349",
        service_description="Холодное и горячее водоснабжение, водоотведение",
        account_pattern=r"\d{10}",
        account_format_description="10 цифр без пробелов",
        account_example="3700123456",
        account_checksum=AccountChecksum.none,
        hint_text="Номер лицевого счёта напечатан в верхней части квитанции, справа от названия "
        "«Водоканал», в строке «Лицевой счёт».",
        ownership_check=OwnershipCheck.none,
        reading_window_start_day=15,
        reading_window_end_day=25,
        reading_window_policy=ReadingWindowPolicy.block,
        consumption_cap_thousandths=60_000,
        support_email="abonent@vodokanal-zarechny.ru",
        support_phone="+7 343 277-10-10",
    ),
    dict(
        slug="energosbyt",
        name="АО «Энергосбыт Заречья»",
        inn="6609023453",
        service_description="Электроэнергия",
        account_pattern=r"\d{8}",
        account_format_description="8 цифр, последняя — контрольная",
        account_example="51001238",
        account_checksum=AccountChecksum.luhn,
        hint_text="Номер лицевого счёта — в рамке «Лицевой счёт» слева вверху квитанции. "
        "Для подключения понадобится и сумма «Итого к оплате» из последней квитанции.",
        ownership_check=OwnershipCheck.last_bill,
        reading_window_start_day=20,
        reading_window_end_day=5,
        reading_window_policy=ReadingWindowPolicy.warn,
        consumption_cap_thousandths=3_000_000,
        support_email="info@energosbyt-zarechye.ru",
        support_phone="+7 343 277-20-20",
    ),
    dict(
        slug="uyutny-dom",
        name="УК «Уютный дом»",
        inn="6609034568",
        service_description="Содержание жилья, отопление, вывоз отходов",
        account_pattern=r"\d{2}[А-ЯЁ]{2}\d{6}",
        account_format_description="10 знаков: 2 цифры, 2 русские буквы, 6 цифр",
        account_example="12АБ345678",
        account_checksum=AccountChecksum.none,
        hint_text="Единый лицевой счёт напечатан под штрихкодом, в строке «ЕЛС». Рядом — "
        "четырёхзначный ПИН-код для подключения к кабинету.",
        ownership_check=OwnershipCheck.pin,
        reading_window_start_day=23,
        reading_window_end_day=26,
        reading_window_policy=ReadingWindowPolicy.block,
        allow_rollover=False,
        support_email="dom@uyutny-dom.ru",
        support_phone="+7 343 277-30-30",
    ),
    dict(
        slug="gaz-servis",
        name="ООО «Газ-Сервис»",
        inn="6609045672",
        service_description="Газоснабжение",
        account_pattern=r"\d{12}",
        account_format_description="12 цифр без пробелов",
        account_example="370012345678",
        account_checksum=AccountChecksum.none,
        hint_text="Номер лицевого счёта — в правом верхнем углу квитанции. Для подключения "
        "понадобится заводской номер газового счётчика: он указан на корпусе счётчика и в квитанции.",
        ownership_check=OwnershipCheck.meter_serial,
        reading_window_start_day=1,
        reading_window_end_day=31,
        reading_window_policy=ReadingWindowPolicy.block,
        consumption_cap_thousandths=1_500_000,
        support_email="abonent@gaz-servis.ru",
        support_phone="+7 343 277-40-40",
    ),
]

STREETS = ["ул. Садовая", "ул. Лесная", "пр. Мира", "ул. Школьная", "ул. Набережная", "ул. Молодёжная"]
OWNERS = ["Иванов И. И.", "Петрова А. С.", "Сидоров П. В.", "Кузнецова Е. Н.", "Смирнов Д. А.", "Волкова О. Г."]
# Debts in kopecks per account position: some zero, some overpaid, most owed.
DEBTS = [(245_670, 0), (0, 0), (-50_000, 0), (1_208_944, 35_210), (87_315, 0), (432_100, 12_880)]

ACCOUNTS = {
    "vodokanal": ["3700123401", "3700123402", "3700123403", "3700123404", "3700123405", "3700123406"],
    "energosbyt": ["51000123", "51000479", "51000859", "51001238", "51003564", "51007029"],
    "uyutny-dom": ["12АБ345601", "12АБ345602", "12АВ345603", "14ГД100204", "14ГД100205", "15ЕЖ200306"],
    "gaz-servis": ["370012345601", "370012345602", "370012345603", "370012345604", "370012345605", "370012345606"],
}
PINS = ["4821", "7390", "1546", "9082", "3317", "6604"]

# (kind, whole digits, fraction digits, tariff in kopecks per unit, typical monthly use in thousandths)
METERS = {
    "vodokanal": [(MeterKind.cold_water, 5, 3, 4_562, 6_500), (MeterKind.hot_water, 5, 3, 24_890, 3_800)],
    "energosbyt": [(MeterKind.electricity_day, 6, 1, 652, 180_000), (MeterKind.electricity_night, 6, 1, 318, 90_000)],
    "uyutny-dom": [(MeterKind.heat, 4, 3, 285_011, 1_200)],
    "gaz-servis": [(MeterKind.gas, 5, 3, 854, 45_000)],
}
# Heating and gas follow the season; water and light barely.
SEASONAL = {MeterKind.heat: True, MeterKind.gas: True}
RESIDENT_LINKS = [("vodokanal", 0, "Квартира"), ("energosbyt", 0, "Квартира"), ("gaz-servis", 0, "Дача")]


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
        lines += [f"    {login.role:<9} {login.email:<24} password {login.password}" for login in self.logins]
        lines += ["", "  Accounts a new resident can connect"]
        lines += [
            f"    {sample.provider:<30} {sample.number:<14} {sample.second_field}".rstrip()
            for sample in self.samples
        ]
        lines.append("")
        return "\n".join(lines)


def _upsert(session: Session, model: type[SQLModel], key: dict, values: dict, now: dt.datetime) -> tuple[SQLModel, bool]:
    """The row matching `key`, created or brought to `values`; True when anything was written."""
    row = session.exec(select(model).filter_by(**key)).first()
    if row is None:
        extra = {name: now for name in ("created_at", "updated_at") if name in model.model_fields}
        row = model(**key, **values, **extra)
        session.add(row)
        session.flush()
        return row, True
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        return row, False
    for name, value in changed.items():
        setattr(row, name, value)
    if "updated_at" in model.model_fields:
        row.updated_at = now
    session.add(row)
    return row, True


def _user(session: Session, *, email: str, password: str, role: UserRole, now: dt.datetime, **profile) -> tuple[User, bool]:
    user = session.exec(select(User).where(User.email_canonical == email)).first()
    if user is not None:
        return user, False
    user = User(
        email=email, email_canonical=email, password_hash=hash_password(password), role=role,
        confirmed_at=now, created_at=now, updated_at=now, **profile,
    )
    session.add(user)
    session.flush()
    return user, True


def _month_start(day: dt.date, months_back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _history(kind: MeterKind, typical: int, months: int, seed: int) -> list[int]:
    """Monthly consumption, oldest first: deterministic, seasonal where it should be."""
    values = []
    for month in range(months):
        wobble = 0.85 + ((seed * 7 + month * 13) % 30) / 100
        season = 1.0
        if SEASONAL.get(kind):
            season = 1.6 if month % 12 in (0, 1, 2, 10, 11) else 0.5
        values.append(int(typical * wobble * season))
    return values


def seed_demo(*, session: Session, today: dt.date) -> DemoSummary:
    now = dt.datetime.combine(today, dt.time(6, 0), tzinfo=dt.timezone.utc)
    as_of = today.replace(day=1)
    last_reading_date = _month_start(today, 1).replace(day=25)
    writes = 0
    samples: list[DemoAccountSample] = []
    accounts_by_slug: dict[str, list[ProviderAccount]] = {}
    meters_by_account: dict[int, list[Meter]] = {}

    for provider_index, spec in enumerate(PROVIDERS):
        values = {k: v for k, v in spec.items() if k not in ("slug", "inn")}
        values["receipt_image"] = f"/receipts/{spec['slug']}.svg"
        provider, wrote = _upsert(session, Provider, {"inn": spec["inn"]}, values, now)
        writes += wrote
        accounts_by_slug[spec["slug"]] = []
        for position, number in enumerate(ACCOUNTS[spec["slug"]]):
            debt, penalty = DEBTS[(position + provider_index) % len(DEBTS)]
            street = STREETS[(position + provider_index) % len(STREETS)]
            account_values = dict(
                address=f"г. Заречный, {street}, д. {position * 3 + provider_index + 2}, кв. {position * 11 + 5}",
                owner_name=OWNERS[(position + provider_index * 2) % len(OWNERS)],
                debt_kopecks=debt,
                penalty_kopecks=penalty,
                balance_as_of=as_of,
                last_bill_kopecks=max(debt, 0) + 184_250 if spec["ownership_check"] == OwnershipCheck.last_bill else None,
            )
            account, wrote = _upsert(
                session, ProviderAccount, {"provider_id": provider.id, "number": number}, account_values, now
            )
            writes += wrote
            if spec["ownership_check"] == OwnershipCheck.pin and account.pin_hash is None:
                account.pin_hash = pin_digest(number=account.number, pin=PINS[position])
                session.add(account)
                writes += 1
            accounts_by_slug[spec["slug"]].append(account)
            # Every fourth account has no meters, as many flats do.
            if position % 4 == 3:
                meters_by_account[account.id] = []
                continue
            meters = []
            for meter_index, (kind, whole, fraction, tariff, typical) in enumerate(METERS[spec["slug"]]):
                serial = f"{spec['slug'][:2].upper()}{provider_index}{position}{meter_index}{number[-4:]}"
                verified = [today.replace(year=today.year + 3), today + dt.timedelta(days=40), today - dt.timedelta(days=30)]
                meter, wrote = _upsert(
                    session, Meter, {"account_id": account.id, "kind": kind, "serial": serial},
                    dict(
                        digits_whole=whole, digits_fraction=fraction, tariff_kopecks=tariff,
                        last_value_thousandths=typical * (40 + position * 7 + meter_index * 3),
                        last_value_date=last_reading_date,
                        verified_until=verified[(position + meter_index + provider_index) % 3],
                    ),
                    now,
                )
                writes += wrote
                meters.append(meter)
            meters_by_account[account.id] = meters

        sample_account = accounts_by_slug[spec["slug"]][1]
        second = ""
        if spec["ownership_check"] == OwnershipCheck.last_bill:
            second = f"last bill {sample_account.last_bill_kopecks // 100},{sample_account.last_bill_kopecks % 100:02d}"
        elif spec["ownership_check"] == OwnershipCheck.pin:
            second = f"PIN {PINS[1]}"
        elif spec["ownership_check"] == OwnershipCheck.meter_serial:
            second = f"meter {meters_by_account[sample_account.id][0].serial}"
        samples.append(DemoAccountSample(provider=spec["name"], number=sample_account.number, second_field=second))

    _admin, wrote = _user(session, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, role=UserRole.admin, now=now,
                          full_name="Оператор Демо")
    writes += wrote
    resident, wrote = _user(
        session, email=RESIDENT_EMAIL, password=RESIDENT_PASSWORD, role=UserRole.resident, now=now,
        full_name="Иванов Иван Иванович", phone="+79123456789",
    )
    writes += wrote
    for slug, position, nickname in RESIDENT_LINKS:
        account = accounts_by_slug[slug][position]
        _link, wrote = _upsert(session, AccountLink, {"user_id": resident.id, "account_id": account.id},
                               {"nickname": nickname}, now)
        writes += wrote
        for meter_index, meter in enumerate(meters_by_account[account.id]):
            writes += _seed_history(session, meter=meter, user_id=resident.id, today=today, seed=meter_index + position)

    return DemoSummary(
        logins=[DemoLogin("admin", ADMIN_EMAIL, ADMIN_PASSWORD), DemoLogin("resident", RESIDENT_EMAIL, RESIDENT_PASSWORD)],
        samples=samples,
        created=writes,
    )


def _seed_history(session: Session, *, meter: Meter, user_id: int, today: dt.date, seed: int) -> int:
    """Twelve monthly readings ending at the meter's last value; 0 when they are there already."""
    existing = session.exec(select(MeterReading.id).where(MeterReading.meter_id == meter.id)).first()
    if existing is not None:
        return 0
    typical = next(spec[4] for specs in METERS.values() for spec in specs if spec[0] == meter.kind)
    uses = _history(meter.kind, typical, 12, seed)
    value = meter.last_value_thousandths or 0
    values = []
    for use in reversed(uses):
        values.append(value)
        value -= use
    values.reverse()
    for months_back, reading in zip(range(12, 0, -1), values):
        period = _month_start(today, months_back)
        submitted = dt.datetime.combine(period.replace(day=24), dt.time(9, 30), tzinfo=dt.timezone.utc)
        session.add(
            MeterReading(
                meter_id=meter.id, user_id=user_id, value_thousandths=reading, period=period,
                source=ReadingSource.resident, status=ReadingStatus.sent_to_provider,
                submitted_at=submitted, updated_at=submitted,
            )
        )
    return 12
