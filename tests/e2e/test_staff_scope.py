"""Provider staff in the browser (#15): an operator sees and changes only their provider; a foreign provider's
or payment's address says «Не найдено.» as a missing one does; a viewer is shown nothing that changes data."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from cabinet.models import AccountLink, PaymentPurpose, Provider, ProviderAccount, User
from cabinet.services.demo_data import PROVIDERS, STAFF_PASSWORD, operator_email, viewer_email
from tests.e2e.test_accounts_and_readings import _sign_in
from tests.factories import make_payment

OWN, FOREIGN = PROVIDERS[0], PROVIDERS[1]
NOT_FOUND = re.compile("не найдено", re.IGNORECASE)


@pytest.fixture(scope="module")
def demo(app_server):
    """The two demo providers' ids, the residents linked to the first one, and a payment of each provider."""
    engine = create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")
    now = dt.datetime.now(dt.UTC)
    with Session(engine, expire_on_commit=False) as session:
        ids = {
            spec["slug"]: session.exec(select(Provider.id).where(Provider.inn == spec["inn"])).one()
            for spec in PROVIDERS
        }
        resident = session.exec(select(User).where(User.email_canonical == "resident@example.com")).one()
        payments = {}
        for spec in (OWN, FOREIGN):
            account = session.exec(
                select(ProviderAccount)
                .join(AccountLink, col(AccountLink.account_id) == ProviderAccount.id)
                .where(AccountLink.user_id == resident.id, ProviderAccount.provider_id == ids[spec["slug"]])
            ).first()
            payment = make_payment(
                session,
                resident,
                account,
                12_345,
                purpose=PaymentPurpose.custom_amount,
                when=now,
                idempotency_key=f"e2e-staff-{uuid.uuid4().hex}",
            )
            payments[spec["slug"]] = payment.id
        session.commit()
    engine.dispose()
    return {"providers": ids, "payments": payments}


def _linked_emails(app_server, provider_id: int) -> set[str]:
    engine = create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")
    with Session(engine) as session:
        emails = session.exec(
            select(User.email)
            .join(AccountLink, col(AccountLink.user_id) == User.id)
            .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
            .where(ProviderAccount.provider_id == provider_id)
        ).all()
    engine.dispose()
    return set(emails)


def _options(page: Page, select_id: str) -> list[str]:
    page.locator(f"#{select_id}").click()
    names = [name.strip() for name in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    return names


def test_an_operator_sees_only_their_provider(app_server, page: Page, demo):
    base, own, foreign = app_server.url, demo["providers"][OWN["slug"]], demo["providers"][FOREIGN["slug"]]
    _sign_in(page, base, operator_email(OWN["slug"]), STAFF_PASSWORD)

    page.goto(base + "/admin/providers")
    expect(page.locator("#admin-providers-list [id^=admin-provider-row-]")).to_have_count(1)
    expect(page.locator(f"#admin-provider-row-{own}")).to_contain_text(OWN["name"])
    expect(page.locator("#admin-providers-new")).to_have_count(0)
    expect(page.locator("[id^=admin-provider-toggle-]")).to_have_count(0)
    page.locator(f"#admin-provider-edit-{own}").click()
    expect(page.locator("#admin-provider-name")).to_have_value(OWN["name"])
    expect(page.locator("#admin-provider-name")).to_have_attribute("readonly", "")
    expect(page.locator("#admin-provider-inn")).to_have_attribute("readonly", "")
    expect(page.locator("#admin-provider-legal-note")).to_be_visible()
    expect(page.locator("#admin-provider-save")).to_be_visible()

    page.goto(base + "/admin/payments")
    expect(page.locator("#admin-payments-total")).to_be_visible()
    assert _options(page, "admin-payments-filter-provider") == ["Все поставщики", OWN["name"]]
    expect(page.locator(f"#admin-payment-row-{demo['payments'][OWN['slug']]}")).to_be_visible()
    expect(page.locator(f"#admin-payment-row-{demo['payments'][FOREIGN['slug']]}")).to_have_count(0)

    page.goto(base + "/admin/registry")
    expect(page.locator("#admin-registry-import")).to_be_visible()
    assert _options(page, "admin-registry-provider") == [OWN["name"]]

    page.goto(base + "/admin/residents")
    expect(page.locator("#admin-residents-search")).to_be_visible()
    expected = _linked_emails(app_server, own)
    expect(page.locator("[id^=admin-resident-row-]")).to_have_count(len(expected))

    # A foreign provider's and a foreign payment's address: «Не найдено.», exactly as for ids nobody has.
    for address in (f"/admin/providers/{foreign}", "/admin/providers/999999"):
        page.goto(base + address)
        expect(page.locator("#admin-providers-missing")).to_contain_text(NOT_FOUND)
        expect(page.locator("#admin-provider-form")).to_have_count(0)
    page.goto(base + f"/admin/providers/{own}")
    expect(page.locator("#admin-provider-name")).to_have_value(OWN["name"])
    for payment in (demo["payments"][FOREIGN["slug"]], 999_999):
        page.goto(base + f"/admin/payments/{payment}")
        expect(page.locator("#admin-payments-error")).to_contain_text(NOT_FOUND)
        expect(page.locator("#admin-payment-detail")).to_have_count(0)
    page.goto(base + f"/admin/payments/{demo['payments'][OWN['slug']]}")
    expect(page.locator("#admin-payment-detail")).to_contain_text(OWN["name"])
    expect(page.locator("#admin-payment-check")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_an_operators_pages(app_server, new_page, demo, screenshot_dir, width):
    page = new_page(viewport={"width": width, "height": 900})
    base, own = app_server.url, demo["providers"][OWN["slug"]]
    _sign_in(page, base, operator_email(OWN["slug"]), STAFF_PASSWORD)
    page.goto(base + f"/admin/providers/{own}")
    expect(page.locator("#admin-provider-legal-note")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"staff-scope-operator-{width}.png"), full_page=True)
    form = page.locator("#admin-provider-form").bounding_box()
    for field in page.locator("#admin-provider-form input, #admin-provider-form textarea").all():
        box = field.bounding_box()
        if box is not None and box["width"] > 1:  # the file input of the picker is hidden
            assert box["x"] + box["width"] <= form["x"] + form["width"] + 1, field.get_attribute("id")
    page.goto(base + "/admin/payments")
    expect(page.locator("#admin-payments-total")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"staff-scope-operator-payments-{width}.png"), full_page=True)


def test_a_viewer_sees_no_controls_that_change_data(app_server, page: Page, demo, screenshot_dir):
    base, own = app_server.url, demo["providers"][OWN["slug"]]
    _sign_in(page, base, viewer_email(OWN["slug"]), STAFF_PASSWORD)

    page.goto(base + "/admin/registry")
    expect(page.locator("#admin-registry-none")).to_be_visible()
    expect(page.locator("#admin-registry-import")).to_have_count(0)
    expect(page.locator("#admin-registry-upload")).to_have_count(0)

    page.goto(base + "/admin/providers")
    expect(page.locator(f"#admin-provider-edit-{own}")).to_have_text("Открыть")
    expect(page.locator("#admin-providers-new")).to_have_count(0)
    page.locator(f"#admin-provider-edit-{own}").click()
    expect(page.locator("#admin-provider-read-only")).to_be_visible()
    expect(page.locator("#admin-provider-save")).to_have_count(0)
    expect(page.locator("#admin-receipt-upload")).to_have_count(0)
    expect(page.locator("#admin-provider-service-description")).to_have_attribute("readonly", "")
    page.screenshot(path=str(screenshot_dir / "staff-scope-viewer-1280.png"), full_page=True)

    page.goto(base + f"/admin/payments/{demo['payments'][OWN['slug']]}")
    expect(page.locator("#admin-payment-detail")).to_be_visible()
    expect(page.locator("#admin-payment-check")).to_have_count(0)
    expect(page.locator("#admin-payments-export")).to_be_visible()  # exports are for viewers too

    page.goto(base + "/admin/residents")
    page.locator("[id^=admin-resident-row-]").first.click()
    expect(page.locator("#admin-resident-detail")).to_be_visible()
    expect(page.locator("#admin-resident-close")).to_be_visible()
    expect(page.locator("#admin-resident-block")).to_have_count(0)
    expect(page.locator("#admin-resident-unblock")).to_have_count(0)

    page.goto(base + "/admin/readings")
    expect(page.locator("#admin-readings-export")).to_be_visible()
    expect(page.locator("#admin-readings-view-only")).to_be_visible()
    expect(page.locator("#admin-readings-mark-sent")).to_have_count(0)
