"""Addresses whose id names nothing — text, a sign, past the id column — show the page's «не найдено», nothing else."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cabinet import texts

NOT_FOUND = texts.error_text("not_found")
# Every page that takes an id from its address, with ids no row can have; the first one's number
# fits SQLite's 64-bit integer but not PostgreSQL's `integer`, the second fits neither.
ADDRESSES = [
    ("/payments/2147483648", "#payment-not-found", NOT_FOUND),
    ("/payments/99999999999999999999", "#payment-not-found", NOT_FOUND),
    ("/payments/abc", "#payment-not-found", NOT_FOUND),
    ("/accounts/2147483648/pay", "#pay-not-found", NOT_FOUND),
    ("/accounts/99999999999999999999/pay", "#pay-not-found", NOT_FOUND),
    ("/accounts/-1/readings", "#readings-not-found", NOT_FOUND),
    ("/accounts/99999999999999999999/readings", "#readings-not-found", NOT_FOUND),
    ("/payments/2147483648/receipt", "#receipt-unavailable", texts.PAYMENTS["receipt_unavailable"]),
    ("/payments/99999999999999999999/receipt", "#receipt-unavailable", texts.PAYMENTS["receipt_unavailable"]),
]


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    expect(page.locator("#nav-sign-out")).to_be_visible()


def test_an_id_that_names_nothing_shows_not_found_without_a_spinner_or_an_error(app_server, page: Page):
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    for path, marker, message in ADDRESSES:
        page.goto(app_server.url + path)
        expect(page.locator(marker), path).to_have_text(message)
        # Loaded, not waiting: no spinner stays, and the backend raised nothing the page would toast.
        expect(page.locator(".rt-Spinner"), path).to_have_count(0)
        expect(page.get_by_text("An error occurred"), path).to_have_count(0)
    # No error in the page either: the `page` fixture fails the test on any.
