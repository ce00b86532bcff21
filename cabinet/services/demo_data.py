"""The demo town as tables: its providers, their accounts, meters and PINs, the logins and the resident's links."""

from __future__ import annotations

from cabinet.models import AccountChecksum, MeterKind, OwnershipCheck, ReadingWindowPolicy

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "admin2026"
RESIDENT_EMAIL, RESIDENT_PASSWORD = "resident@example.com", "demo2026"
# Provider staff (#15): an operator of every provider, a viewer of the first one; one password for them all.
STAFF_PASSWORD = "staff2026"


def operator_email(slug: str) -> str:
    return f"operator.{slug}@example.com"


def viewer_email(slug: str) -> str:
    return f"viewer.{slug}@example.com"


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
        # Its own YooKassa shop: its part of every payment goes there by a split payment (transfers).
        yookassa_account_id="100523",
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
