"""#15's journey end to end: the platform administrator invites an operator for the water utility; the operator
sets a password from the letter, signs in, imports the water utility's registry and sees its payments, and can
neither see nor reach the electricity company's residents, payments, registry or settings — not by the
address bar, and not by an event rewritten on its way to the server."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect
from sqlalchemy import create_engine, func
from sqlmodel import Session, col, select

from cabinet.models import AccountLink, PaymentPurpose, Provider, ProviderAccount, User
from cabinet.services.demo_data import PROVIDERS
from cabinet.state.admin.registry import AdminRegistryState
from tests.e2e.mailbox import wait_for_link
from tests.e2e.test_accounts_and_readings import _sign_in
from tests.factories import make_payment

WATER, POWER = PROVIDERS[0], PROVIDERS[1]
ADMIN = ("admin@example.com", "admin2026")
PASSWORD = "water2026"
NOT_FOUND = re.compile("не найдено", re.IGNORECASE)


def _database(app_server):
    return create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")


@pytest.fixture(scope="module")
def world(app_server):
    """Both providers' ids, a fresh payment on each, and a resident of the electricity company alone."""
    engine = _database(app_server)
    now = dt.datetime.now(dt.UTC)
    found: dict = {"providers": {}, "payments": {}}
    with Session(engine, expire_on_commit=False) as session:
        for spec in (WATER, POWER):
            provider_id = session.exec(select(Provider.id).where(Provider.inn == spec["inn"])).one()
            found["providers"][spec["slug"]] = provider_id
            linked = session.exec(
                select(User, ProviderAccount)
                .join(AccountLink, col(AccountLink.user_id) == User.id)
                .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
                .where(ProviderAccount.provider_id == provider_id)
            ).all()
            user, account = linked[0]
            payment = make_payment(
                session,
                user,
                account,
                43_210,
                purpose=PaymentPurpose.custom_amount,
                when=now,
                idempotency_key=f"e2e-journey-{uuid.uuid4().hex}",
            )
            found["payments"][spec["slug"]] = payment.id
        # A resident of the electricity company alone, whom the water utility's operator must never find.
        email = f"power.only.{uuid.uuid4().hex[:8]}@example.com"
        stranger = User(email=email, email_canonical=email, password_hash="!", confirmed_at=now, full_name="Электра")
        session.add(stranger)
        session.flush()
        session.add(AccountLink(user_id=stranger.id, account_id=account.id))
        found["power_only"] = email
        session.commit()
    engine.dispose()
    return found


def _accounts_of(app_server, provider_id: int) -> int:
    engine = _database(app_server)
    with Session(engine) as session:
        count = session.exec(select(func.count()).where(ProviderAccount.provider_id == provider_id)).one()
    engine.dispose()
    return count


def _options(page: Page, select_id: str) -> list[str]:
    page.locator(f"#{select_id}").click()
    names = [name.strip() for name in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    return names


def _invite_operator(page: Page, base: str, email: str) -> str:
    _sign_in(page, base, *ADMIN)
    # Through the menus, as a person would: no full reload racing the sign-in's own page load.
    page.locator("#nav-admin").click()
    page.locator("#admin-nav-staff").click()
    expect(page.locator("#admin-staff-invite")).to_be_visible()
    page.locator("#admin-staff-invite-email").fill(email)
    page.locator("[id^=admin-staff-invite-provider-][id$=-label]", has_text=WATER["name"]).click()
    page.locator("#admin-staff-invite-submit").click()
    expect(page.locator("#admin-staff-invite-notice")).to_contain_text(email)
    expect(page.locator("[id^=admin-staff-row-]", has_text=email)).to_contain_text("оператор")
    return wait_for_link(base, to=email, path="staff/invitation")


def _set_password(page: Page, link: str) -> None:
    page.goto(link)
    page.locator("#staff-invitation-password").fill(PASSWORD)
    page.locator("#staff-invitation-password-repeat").fill(PASSWORD)
    page.locator("#staff-invitation-submit").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.locator("#admin-nav-staff")).to_have_count(0)


def _import_the_water_registry(page: Page, tmp_path) -> None:
    page.locator("#nav-admin").click()
    page.locator("#admin-nav-registry").click()
    assert _options(page, "admin-registry-provider") == [WATER["name"]]
    page.locator("#admin-registry-provider").click()
    page.get_by_role("option", name=WATER["name"]).click()
    with page.expect_download() as download:
        page.locator("#admin-registry-sample").click()
    sample = tmp_path / "water.csv"
    download.value.save_as(sample)
    page.locator("#admin-registry-upload input[type=file]").set_input_files(str(sample))
    expect(page.locator("#admin-registry-preview-title")).to_contain_text(WATER["name"], timeout=15_000)
    expect(page.locator("#admin-registry-ok")).to_be_visible()
    page.locator("#admin-registry-import").click()
    expect(page.locator("#admin-registry-notice")).to_contain_text("Реестр загружен", timeout=30_000)


def test_an_invited_operator_works_for_their_provider_only(app_server, page: Page, new_page, world, tmp_path):
    base = app_server.url
    water, power = world["providers"][WATER["slug"]], world["providers"][POWER["slug"]]
    email = f"water.operator.{uuid.uuid4().hex[:8]}@example.com"
    link = _invite_operator(page, base, email)

    operator = new_page(viewport={"width": 1280, "height": 900})
    _set_password(operator, link)
    # Signing in again with the new password works too.
    operator.locator("#nav-sign-out").click()
    _sign_in(operator, base, email, PASSWORD)

    before = _accounts_of(app_server, water)
    _import_the_water_registry(operator, tmp_path)
    assert _accounts_of(app_server, water) == before + 3  # the sample's three made-up accounts

    operator.goto(base + "/admin/payments")
    expect(operator.locator(f"#admin-payment-row-{world['payments'][WATER['slug']]}")).to_be_visible()
    expect(operator.locator(f"#admin-payment-row-{world['payments'][POWER['slug']]}")).to_have_count(0)
    assert _options(operator, "admin-payments-filter-provider") == ["Все поставщики", WATER["name"]]

    operator.goto(base + "/admin/residents")
    expect(operator.locator("#admin-residents-search")).to_be_visible()
    expect(operator.locator("[id^=admin-resident-row-]").first).to_be_visible()
    expect(operator.locator("[id^=admin-resident-row-]", has_text=world["power_only"])).to_have_count(0)
    operator.locator("#admin-residents-query").fill(world["power_only"])
    operator.locator("#admin-residents-search").click()
    expect(operator.locator("#admin-residents-empty")).to_be_visible()

    operator.goto(base + "/admin/providers")
    expect(operator.locator("[id^=admin-provider-row-]")).to_have_count(1)
    expect(operator.locator(f"#admin-provider-row-{power}")).to_have_count(0)
    # By address: the electricity company's settings and payment are «не найдено», as ids nobody has.
    operator.goto(base + f"/admin/providers/{power}")
    expect(operator.locator("#admin-providers-missing")).to_contain_text(NOT_FOUND)
    expect(operator.locator("#admin-provider-form")).to_have_count(0)
    operator.goto(base + f"/admin/payments/{world['payments'][POWER['slug']]}")
    expect(operator.locator("#admin-payments-error")).to_contain_text(NOT_FOUND)
    expect(operator.locator("#admin-payment-detail")).to_have_count(0)


class EventSocket:
    """The page's event socket, routed through the test: lets it send an event the page never would."""

    def __init__(self) -> None:
        self.server: WebSocketRoute | None = None

    def route(self, socket: WebSocketRoute) -> None:
        self.server = socket.connect_to_server()
        socket.on_message(lambda message: self.server.send(message))
        self.server.on_message(lambda message: socket.send(message))

    def send_event(self, handler: str, payload: dict, path: str) -> None:
        event = {"name": handler, "payload": payload, "router_data": {"pathname": path, "asPath": path}}
        self.server.send("42/_event," + json.dumps(["event", event]))


def test_a_crafted_event_cannot_import_into_another_providers_registry(app_server, new_page, world, tmp_path):
    base = app_server.url
    power = world["providers"][POWER["slug"]]
    email = f"crafty.operator.{uuid.uuid4().hex[:8]}@example.com"
    inviter = new_page(viewport={"width": 1280, "height": 900})
    link = _invite_operator(inviter, base, email)

    operator = new_page(viewport={"width": 1280, "height": 900})
    _set_password(operator, link)
    operator.goto(base + "/admin/registry")
    with operator.expect_download() as download:
        operator.locator("#admin-registry-provider").click()
        operator.get_by_role("option", name=WATER["name"]).click()
        operator.locator("#admin-registry-sample").click()
    sample = tmp_path / "water.csv"
    download.value.save_as(sample)

    attacker, socket = new_page(viewport={"width": 1280, "height": 900}), EventSocket()
    attacker.route_web_socket(re.compile(r".*/_event.*"), socket.route)
    _sign_in(attacker, base, email, PASSWORD)
    attacker.locator("#nav-admin").click()
    attacker.locator("#admin-nav-registry").click()
    expect(attacker.locator("#admin-registry-provider")).to_contain_text(WATER["name"])
    before = _accounts_of(app_server, power)
    # The provider choice the page offers only for the water utility, sent with the electricity company's id.
    socket.send_event(f"{AdminRegistryState.get_full_name()}.set_provider", {"value": str(power)}, "/admin/registry/")
    attacker.locator("#admin-registry-upload input[type=file]").set_input_files(str(sample))
    # The server took the foreign id and refused it as a missing provider: no preview, nothing imported.
    expect(attacker.locator("#admin-registry-error")).to_contain_text(NOT_FOUND, timeout=15_000)
    expect(attacker.locator("#admin-registry-preview-title")).to_have_count(0)
    expect(attacker.locator("#admin-registry-import")).to_be_disabled()
    assert _accounts_of(app_server, power) == before
