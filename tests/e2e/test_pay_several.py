"""«Оплатить несколько счетов»: two of three accounts, one with a reading, paid once at the stand-in, then part of
one part returned by its provider's operator; and refusals."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from cabinet.services.demo_data import operator_email
from tests.e2e.phone import no_sideways_scroll, phone_page
from tests.e2e.test_accounts_and_readings import _number_from, _sign_in
from tests.e2e.test_payments import _kopecks, _owed_on_dashboard, _pay_at_checkout
from tests.e2e.test_refunds import _part_id, _staff_page, _until_settled

RESIDENT = ("resident@example.com", "demo2026")
PROVIDERS = {"water": "Водоканал", "power": "Энергосбыт", "gas": "Газ-Сервис"}


def _open_the_form(page: Page, base: str) -> dict[str, int]:
    """From the dashboard's «Оплатить несколько счетов»; the accounts' ids by the providers' names they show."""
    page.goto(base + "/")
    page.locator("#pay-several").click()
    expect(page).to_have_url(re.compile(r"/pay/?$"))
    expect(page.locator("#pay-several-submit")).to_be_visible()
    ids = {}
    for key, provider in PROVIDERS.items():
        card = page.locator("[id^=pay-several-account-]", has_text=provider)
        expect(card).to_have_count(1)
        ids[key] = int(card.get_attribute("id").removeprefix("pay-several-account-"))
    return ids


def _rubles(kopecks: int) -> str:
    rubles, rest = divmod(kopecks, 100)
    return f"{rubles:,}".replace(",", "\u00a0") + f",{rest:02d}\u00a0₽"


def _tick(page: Page, account_id: int, chosen: bool) -> None:
    choose = page.locator(f"#pay-several-choose-{account_id}")
    if (choose.get_attribute("data-state") == "checked") != chosen:
        choose.click()
    expect(choose).to_have_attribute("data-state", "checked" if chosen else "unchecked")


def test_two_accounts_and_a_reading_paid_in_one_payment(app_server, page: Page, new_page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, *RESIDENT)
    before = {key: _owed_on_dashboard(page, base, provider) for key, provider in PROVIDERS.items()}
    assert before["gas"] >= 100, before
    ids = _open_the_form(page, base)
    for key in PROVIDERS:
        # An account that owes is chosen at first, its sum the debt; one that owes nothing is not.
        choose, amount = page.locator(f"#pay-several-choose-{ids[key]}"), f"#pay-several-amount-{ids[key]}"
        if before[key] >= 100:
            expect(choose).to_be_checked()
            assert _kopecks(page.locator(amount).input_value() + "\u00a0₽") == before[key]
        else:
            expect(choose).not_to_be_checked()
            expect(page.locator(amount)).to_have_count(0)

    # Chosen and given a sum, then unticked: neither counted nor paid.
    _tick(page, ids["power"], True)
    page.locator(f"#pay-several-amount-{ids['power']}").fill("500")
    _tick(page, ids["water"], True)
    page.locator(f"#pay-several-amount-{ids['water']}").fill("150,25")
    _tick(page, ids["gas"], True)
    expect(page.locator("#pay-several-total")).to_have_text(_rubles(500_00 + 150_25 + before["gas"]))
    _tick(page, ids["power"], False)
    expect(page.locator(f"#pay-several-amount-{ids['power']}")).to_have_count(0)

    page.locator(f"#pay-several-with-readings-{ids['gas']}").click()
    gas_card = page.locator(f"#pay-several-account-{ids['gas']}")
    field = gas_card.locator("input[id^=reading-]").first
    meter_id = field.get_attribute("id").removeprefix("reading-")
    previous = _number_from(page.locator(f"#reading-{meter_id}-previous").inner_text())
    reading = int(previous) + 30
    field.fill(str(reading))
    expect(page.locator(f"#reading-{meter_id}-preview")).to_contain_text("Расход")

    total = 150_25 + before["gas"]
    expect(page.locator("#pay-several-total")).to_have_text(_rubles(total))
    expect(page.locator("#pay-several-submit")).to_have_text(f"Оплатить {_rubles(total)}")
    expect(page.locator("#pay-several-receipt-email")).to_contain_text(RESIDENT[0])
    page.screenshot(path=str(screenshot_dir / "pay-several-desktop.png"), full_page=True)

    page.locator("#pay-several-submit").click()
    expect(page.locator("#sandbox-amount")).to_have_text(_rubles(total))
    _pay_at_checkout(page)
    payment_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("#payment-amount")).to_have_text(_rubles(total))
    expect(page.locator("[id^=payment-part-]")).to_have_count(2)
    expect(page.locator(f"#payment-part-{ids['water']}")).to_contain_text("150,25\u00a0₽")
    expect(page.locator(f"#payment-part-{ids['gas']}")).to_contain_text(_rubles(before["gas"]))
    expect(page.locator(f"#payment-part-{ids['power']}")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "payment-several-desktop.png"), full_page=True)

    page.locator("#payment-receipt-link").click()
    expect(page.locator("[id^=receipt-part-]")).to_have_count(2)
    expect(page.locator(f"#receipt-part-{ids['gas']}")).to_contain_text(re.compile(r"ИНН\s\d{10}"))
    expect(page.locator("#receipt-amount")).to_have_text(_rubles(total))
    page.screenshot(path=str(screenshot_dir / "receipt-several-desktop.png"), full_page=True)

    after = {key: _owed_on_dashboard(page, base, provider) for key, provider in PROVIDERS.items()}
    assert after == {"water": before["water"] - 150_25, "power": before["power"], "gas": 0}
    last = page.locator(f"#meter-last-{meter_id}")
    expect(last).to_contain_text("передано при оплате")
    assert _number_from(last.inner_text()) == float(reading)

    page.goto(base + "/payments")
    expect(page.locator(f"#history-row-{payment_id}")).to_have_count(1)
    expect(page.locator(f"#history-parts-{payment_id}")).to_have_text("2 счёта в одном платеже")
    row = page.locator(f"#history-row-{payment_id}").inner_text()
    assert "Водоканал" in row and "Газ-Сервис" in row and "Энергосбыт" not in row, row

    page.goto(f"{base}/accounts/{ids['gas']}/readings")
    this_period = page.locator(f"#reading-{meter_id}-this-period")
    expect(this_period).to_be_visible()
    assert _number_from(this_period.inner_text()) == float(reading)

    # The water utility's operator sees only its own part, and returns part of it.
    refunded = _refund_part_of_the_water_part(app_server, new_page, int(payment_id))
    page.goto(f"{base}/payments")
    expect(page.locator(f"#history-refund-{payment_id}")).to_have_text(f"Возврат {_rubles(refunded)}")
    owed = {key: _owed_on_dashboard(page, base, provider) for key, provider in PROVIDERS.items()}
    assert owed == {"water": after["water"] + refunded, "power": after["power"], "gas": 0}
    page.goto(f"{base}/payments/{payment_id}")
    expect(page.locator(f"#payment-part-{ids['water']}")).to_contain_text(f"Возврат {_rubles(refunded)}")
    expect(page.locator(f"#payment-part-{ids['gas']}")).not_to_contain_text("Возврат")


def _refund_part_of_the_water_part(app_server, new_page, payment_id: int) -> int:
    """The water utility's operator, in the admin: one part of the two (its own), 50,25 ₽ of it returned."""
    operator = _staff_page(new_page, app_server, operator_email("vodokanal"), payment_id)
    part = _part_id(operator)
    expect(operator.locator(f"#admin-part-{part}-amount")).to_have_text("150,25\u00a0₽")
    expect(operator.locator("#admin-payment-detail")).not_to_contain_text("Газ-Сервис")
    operator.locator(f"#admin-refund-open-{part}").click()
    operator.locator("#admin-refund-amount").fill("50,25")
    operator.locator("#admin-refund-reason").fill("Часть оплаты внесена по ошибке")
    operator.locator("#admin-refund-submit").click()
    expect(operator.locator("#admin-refund-dialog")).to_have_count(0, timeout=20_000)
    _until_settled(operator, operator.url, "#admin-refunds [id^=admin-refund-]", "Возвращено")
    expect(operator.locator(f"#admin-part-{part}-left")).to_have_text("100,00\u00a0₽")
    return 50_25


def test_nothing_chosen_and_an_empty_sum_are_refused_and_nothing_typed_is_lost(
    app_server, page: Page, browser, screenshot_dir
):
    base = app_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, base, *RESIDENT)
    ids = _open_the_form(page, base)
    for account_id in ids.values():
        choose = page.locator(f"#pay-several-choose-{account_id}")
        if choose.get_attribute("data-state") == "checked":
            choose.click()
    expect(page.locator("#pay-several-total")).to_have_text("—")
    page.locator("#pay-several-submit").click()
    expect(page.locator("#pay-several-accounts-error")).to_have_text("Отметьте хотя бы один счёт.")
    expect(page).to_have_url(re.compile(r"/pay/?$"))

    # By keyboard: Space ticks the focused checkbox.
    page.locator(f"#pay-several-choose-{ids['water']}").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#pay-several-choose-{ids['water']}")).to_be_checked()
    expect(page.locator("#pay-several-accounts-error")).to_have_count(0)
    page.locator(f"#pay-several-choose-{ids['gas']}").click()
    water, gas = page.locator(f"#pay-several-amount-{ids['water']}"), page.locator(f"#pay-several-amount-{ids['gas']}")
    # The one-account form's words, as it is typed; no total stands for a refused sum.
    water.fill("0")
    expect(page.locator(f"#pay-several-amount-{ids['water']}-error")).to_contain_text("Сумма — от 1,00")
    water.fill("")
    gas.fill("321")
    page.locator(f"#pay-several-with-readings-{ids['gas']}").click()
    reading = page.locator(f"#pay-several-account-{ids['gas']} input[id^=reading-]").first
    reading.fill("7")
    expect(page.locator("#pay-several-total")).to_have_text("321,00\u00a0₽")
    page.locator("#pay-several-submit").click()

    error = page.locator(f"#pay-several-amount-{ids['water']}-error")
    expect(error).to_have_text("Введите сумму.")
    expect(water).to_have_attribute("aria-invalid", "true")
    expect(water).to_be_focused()
    expect(page.locator("#pay-several-error")).to_be_visible()
    expect(gas).to_have_value("321")
    expect(reading).to_have_value("7")
    expect(page).to_have_url(re.compile(r"/pay/?$"))
    page.screenshot(path=str(screenshot_dir / "pay-several-refused-desktop.png"), full_page=True)

    with phone_page(browser) as phone:
        _sign_in(phone, base, *RESIDENT)
        _open_the_form(phone, base)
        choose = phone.locator(f"#pay-several-choose-{ids['gas']}")
        if choose.get_attribute("data-state") != "checked":
            choose.tap()
        phone.locator(f"#pay-several-with-readings-{ids['gas']}").tap()
        expect(phone.locator(f"#pay-several-account-{ids['gas']} input[id^=reading-]").first).to_be_visible()
        assert no_sideways_scroll(phone)
        phone.screenshot(path=str(screenshot_dir / "pay-several-phone.png"), full_page=True)


def test_with_fewer_than_two_accounts_the_page_says_where_to_go(app_server, page: Page):
    """The form is for two accounts or more; the operator, who has none, is sent to connect one."""
    base = app_server.url
    _sign_in(page, base, "admin@example.com", "admin2026")
    page.goto(base + "/pay")
    expect(page.locator("#pay-several-few")).to_be_visible()
    expect(page.locator("#pay-several-own-form")).to_have_count(0)
    expect(page.locator("#pay-several-connect")).to_have_attribute("href", "/accounts/connect")
    expect(page.locator("#pay-several-submit")).to_have_count(0)
