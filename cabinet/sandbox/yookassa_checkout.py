"""The YooKassa stand-in's hosted checkout page: pay with a test card, or cancel with a reason to test."""

from __future__ import annotations

import html

from cabinet.money import decimal_string_to_kopecks, format_rubles

CHECKOUT_PREFIX = "/sandbox/yookassa/checkout"
CANCEL_REASONS = {
    "expired_on_confirmation": "Плательщик не подтвердил платёж вовремя",
    "insufficient_funds": "Недостаточно денег",
    "card_expired": "Истёк срок действия карты",
    "fraud_suspected": "Подозрение в мошенничестве",
    "payment_method_restricted": "Операции этим способом оплаты запрещены",
}

_STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#eef1f6;color:#1b1f29}
.wrap{max-width:440px;margin:0 auto;padding:32px 16px}
.badge{display:inline-block;background:#fff3c4;color:#7a5b00;border-radius:999px;padding:4px 12px;font-size:13px;
margin-bottom:16px}
.card{background:#fff;border-radius:16px;box-shadow:0 2px 12px rgba(20,30,60,.08);padding:24px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#667085;font-size:14px;margin:0 0 16px}
.amount{font-size:32px;font-weight:700;margin:8px 0 20px}
.cardbox{border:1px solid #d0d5dd;border-radius:12px;padding:14px;margin-bottom:16px;font-size:15px}
.row{display:flex;gap:8px}button{font-size:16px;border:0;border-radius:10px;padding:14px 18px;cursor:pointer;width:100%}
.pay{background:#0062d6;color:#fff}.cancel{background:#f2f4f7;color:#1b1f29}
select{width:100%;padding:10px;border-radius:8px;border:1px solid #d0d5dd;font-size:14px;margin:6px 0 10px}
label{font-size:13px;color:#667085}.note{font-size:13px;color:#667085;margin-top:16px;text-align:center}
.done{font-size:16px}
"""


def page(title: str, inner: str) -> str:
    """A whole HTML page in the stand-in's own look."""
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        # The app's icon: without one the browser asks for /favicon.ico, which is not there (a 404 in the console).
        '<link rel="icon" href="/logo.svg" type="image/svg+xml">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body><div class="wrap"><span class="badge">Тестовая оплата · ЮKassa (демо)</span>{inner}</div></body></html>'
    )


def checkout_html(payment: dict) -> str:
    """The checkout of a pending payment (pay, or cancel with a reason); a settled one says so."""
    escape = html.escape
    amount = format_rubles(decimal_string_to_kopecks(payment["amount"]["value"]))
    head = (
        f'<div class="card"><h1>Оплата заказа</h1><p class="muted">{escape(payment.get("description", ""))}</p>'
        f'<div class="amount" id="sandbox-amount">{escape(amount)}</div>'
    )
    if payment["status"] != "pending":
        states = {
            "succeeded": "Платёж уже оплачен.",
            "waiting_for_capture": "Платёж оплачен и ждёт подтверждения.",
            "canceled": "Платёж отменён.",
        }
        back = escape(payment["confirmation"]["return_url"])
        return page(
            "Оплата",
            head + f'<p class="done" id="sandbox-status">{states.get(payment["status"], "")}</p>'
            f'<p><a href="{back}">Вернуться в магазин</a></p></div>',
        )
    options = "".join(f'<option value="{key}">{escape(text)}</option>' for key, text in CANCEL_REASONS.items())
    base = f"{CHECKOUT_PREFIX}/{escape(payment['id'])}"
    body = head + (
        '<div class="cardbox">Карта •••• 4444 · MasterCard<br>'
        '<span class="muted">Тестовая карта: деньги не списываются</span></div>'
        f'<form method="post" action="{base}/pay">'
        '<button class="pay" id="sandbox-pay" type="submit">Оплатить</button></form>'
        f'<form method="post" action="{base}/cancel" style="margin-top:18px">'
        '<label for="sandbox-reason">Причина отмены (для проверки)</label>'
        f'<select id="sandbox-reason" name="reason">{options}</select>'
        '<button class="cancel" id="sandbox-cancel" type="submit">Отменить</button></form>'
        '<p class="note">Это тренажёр ЮKassa для демо-режима: настоящие деньги не списываются.</p></div>'
    )
    return page("Оплата", body)
