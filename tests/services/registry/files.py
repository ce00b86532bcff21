"""Registry files for the tests (a header, three good rows) and the preview and import of one held in memory."""

from __future__ import annotations

import datetime as dt
import io

from sqlmodel import func, select

from cabinet.models import ProviderAccount
from cabinet.services import registry
from tests.factories import NOW

HEADER = (
    "account;address;owner;debt;penalty;as_of;last_bill;pin;meter_serial;meter_kind;meter_last;meter_last_date;"
    "meter_verified_until;meter_digits;meter_tariff"
)
GOOD = [
    "100200300;г. Заречный, ул. Мира, д. 1, кв. 1;Иванов И. И.;1234,56;12,5;01.11.2026;1500,00;4821;W1;cold_water;"
    "123,456;25.10.2026;01.01.2030;5.3;45,62",
    "100200300;г. Заречный, ул. Мира, д. 1, кв. 1;Иванов И. И.;1234.56;12.50;2026-11-01;1500;4821;W2;hot_water;"
    "23.5;2026-10-25;2027-01-01;5,3;248.9",
    "100200301;г. Заречный, ул. Мира, д. 1, кв. 2;;-300.00;;2026-11-01;;;;;;;;;",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def preview_text(session, provider, text: str, encoding: str = "utf-8"):
    return registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(text.encode(encoding)))


def import_text(session, provider, text: str, encoding: str = "utf-8", now: dt.datetime = NOW, **options):
    return registry.import_registry(
        session, provider_id=provider.id, source=io.BytesIO(text.encode(encoding)), now=now, **options
    )


def stored_account(session, number: str) -> ProviderAccount:
    return session.exec(select(ProviderAccount).where(ProviderAccount.number == number)).one()


def count_rows(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()
