"""What closing a cabinet does to every column of every table, and why (152-ФЗ against 54-ФЗ and the tax code).

services/erasure.py carries it out; tests/services/test_retention.py fails on a column with no decision here
and checks each decision on a resident with every kind of data; docs/security.md and /policy say the same.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Fate(str, enum.Enum):
    # Kept as it is: not about the resident, or what the law obliges the provider to keep.
    keep = "keep"
    # Emptied, or replaced by a value that says nothing about the person; the row itself stays.
    clear = "clear"
    # The resident's rows are deleted, every column with them.
    delete = "delete"


@dataclass(frozen=True)
class TableRule:
    """`owner`: how the resident's rows are found ("" — the table holds none); `columns`: each column's fate
    in those rows (rows of other people and of nobody are never touched); `why`: the reason, for the docs."""

    why: str
    owner: str = ""
    columns: dict[str, Fate] = field(default_factory=dict)


def _all(fate: Fate, *names: str) -> dict[str, Fate]:
    return dict.fromkeys(names, fate)


KEEP, CLEAR, DELETE = Fate.keep, Fate.clear, Fate.delete

CLOSURE_RULES: dict[str, TableRule] = {
    "users": TableRule(
        "The row stays as an empty stub because kept payments point at it; nothing in it names the person. "
        "The address is replaced by «closed-<id>» (no «@»: no sign-in, sign-up or letter ever finds it), so "
        "the same address later signs up as a new, empty cabinet.",
        owner="id",
        columns={
            **_all(KEEP, "id", "role", "created_at"),
            **_all(CLEAR, "email", "email_canonical", "password_hash", "full_name", "phone", "confirmed_at"),
            # Every letter switch off and the stub blocked: no reminder and no sign-in, whatever else fails.
            **_all(CLEAR, "notify_payment_receipts", "notify_reading_reminders", "notify_window_closing"),
            **_all(CLEAR, "notify_verification", "notify_new_bill", "is_blocked", "updated_at"),
            # Set by closing: when, by whom, on which written request — the provider's proof of what happened.
            **_all(CLEAR, "closed_at", "closed_by_user_id", "closure_reason"),
        },
    ),
    "one_time_tokens": TableRule(
        "Links by e-mail (and a pending new address or password): no use once the cabinet is closed.",
        owner="user_id",
        columns=_all(
            DELETE, "id", "user_id", "purpose", "token_hash", "new_email", "password_hash", "created_at", "expires_at"
        )
        | _all(DELETE, "used_at"),
    ),
    "login_sessions": TableRule(
        "Signed-in browsers: every one ends at once; their addresses and browsers are the person's.",
        owner="user_id",
        columns=_all(DELETE, "id", "user_id", "token_hash", "remember", "client_address", "user_agent")
        | _all(DELETE, "created_at", "last_seen_at", "expires_at", "revoked_at"),
    ),
    "login_attempts": TableRule(
        "Sign-in tries by the address (the guessing limit): the address and network address are the person's.",
        owner="email_canonical",
        columns=_all(DELETE, "id", "email_canonical", "client_address", "succeeded", "created_at"),
    ),
    "providers": TableRule(
        "The provider's own settings.",
        columns=_all(
            KEEP,
            *[
                "id",
                "name",
                "inn",
                "service_description",
                "account_pattern",
                "account_format_description",
                "account_example",
                "account_checksum",
                "hint_text",
                "receipt_image",
                "ownership_check",
                "reading_window_start_day",
                "reading_window_end_day",
                "reading_window_policy",
                "allow_zero_consumption",
                "allow_rollover",
                "consumption_cap_thousandths",
                "support_email",
                "support_phone",
                "yookassa_account_id",
                "unavailable_message",
                "reminder_closing_days",
                "remind_window_opens",
                "remind_window_closing",
                "remind_verification",
                "remind_new_bill",
                "is_active",
                "created_at",
                "updated_at",
            ],
        ),
    ),
    "staff_memberships": TableRule(
        "Staff cannot close a cabinet (a platform administrator removes their access first).",
        columns=_all(KEEP, *["id", "user_id", "provider_id", "role", "created_at"]),
    ),
    "uploaded_images": TableRule(
        "Pictures operators uploaded.",
        columns=_all(KEEP, *["id", "content_type", "sha256", "size_bytes", "data", "uploaded_by", "created_at"]),
    ),
    "provider_accounts": TableRule(
        "The provider's registry: the account, its address and debt are the provider's record under its contract, "
        "not data the cabinet collected; the next registry import keeps it current.",
        columns=_all(
            KEEP,
            *[
                "id",
                "provider_id",
                "number",
                "address",
                "owner_name",
                "debt_kopecks",
                "penalty_kopecks",
                "balance_as_of",
                "last_bill_kopecks",
                "pin_hash",
                "debt_raises",
                "debt_raised_at",
                "created_at",
                "updated_at",
            ],
        ),
    ),
    "meters": TableRule(
        "The provider's meters on the account.",
        columns=_all(
            KEEP,
            *[
                "id",
                "account_id",
                "kind",
                "serial",
                "digits_whole",
                "digits_fraction",
                "tariff_kopecks",
                "last_value_thousandths",
                "last_value_date",
                "verified_until",
            ],
        ),
    ),
    "account_links": TableRule(
        "The resident's connections to accounts, with their nicknames: unlinked.",
        owner="user_id",
        columns=_all(DELETE, "id", "user_id", "account_id", "nickname", "created_at"),
    ),
    "ownership_failures": TableRule(
        "Wrong answers when connecting an account (the walking limit).",
        owner="user_id",
        columns=_all(DELETE, "id", "user_id", "account_id", "created_at"),
    ),
    "meter_readings": TableRule(
        "Readings are the provider's billing data for the account's meter and stay; who handed them in is removed.",
        owner="user_id",
        columns={
            **_all(KEEP, "id", "meter_id", "payment_id", "value_thousandths", "period", "source", "status"),
            **_all(KEEP, "is_rollover", "outside_window", "submitted_at", "updated_at"),
            "user_id": CLEAR,
        },
    ),
    "payments": TableRule(
        "Payments are kept (tax code art. 23: five years; 54-ФЗ): amount, status, dates, YooKassa's id, by which "
        "YooKassa and the fiscal data operator find the receipt they keep. The row still points at the emptied "
        "stub; the e-mail the receipt went to is erased.",
        owner="user_id",
        columns={
            **_all(KEEP, "id", "user_id", "amount_kopecks", "status", "idempotency_key", "gateway_payment_id"),
            **_all(KEEP, "confirmation_url", "description", "cancellation_party", "cancellation_reason"),
            **_all(KEEP, "failure_code", "paid_at", "gateway_checked_at", "created_at", "updated_at"),
            "receipt_email": CLEAR,
        },
    ),
    "payment_parts": TableRule(
        "The receipt's lines: account, provider, amount.",
        columns=_all(
            KEEP,
            *[
                "id",
                "payment_id",
                "account_id",
                "provider_id",
                "amount_kopecks",
                "purpose",
                "transfer_account_id",
                "position",
            ],
        ),
    ),
    "ledger_entries": TableRule(
        "Money that reached or left a provider's account.",
        columns=_all(KEEP, *["id", "account_id", "payment_id", "part_id", "refund_id", "amount_kopecks", "booked_at"]),
    ),
    "refunds": TableRule(
        "Money returned, at an operator's request: the money's audit.",
        columns=_all(
            KEEP,
            *[
                "id",
                "payment_id",
                "part_id",
                "amount_kopecks",
                "reason",
                "status",
                "idempotency_key",
                "gateway_refund_id",
                "requested_by",
                "failure_code",
                "cancellation_reason",
                "refunded_at",
                "created_at",
                "updated_at",
            ],
        ),
    ),
    "payment_notifications": TableRule(
        "YooKassa's notifications as received: the money's audit (they carry our ids, not the person).",
        columns=_all(
            KEEP,
            *[
                "id",
                "received_at",
                "source_address",
                "event",
                "gateway_payment_id",
                "body",
                "outcome",
                "outcome_status",
            ],
        ),
    ),
    "outgoing_emails": TableRule(
        "Letters to the resident's addresses, sent or waiting (queued reminders stop); the one letter confirming "
        "the closure is written after this and erased once sent (`forget_after_sending`).",
        owner="to_address",
        columns=_all(DELETE, "id", "to_address", "subject", "text_body", "html_body", "idempotency_key", "status")
        | _all(DELETE, "attempts", "last_error", "gateway_message_id", "headers", "next_attempt_at", "created_at")
        | _all(DELETE, "sent_at", "forget_after_sending"),
    ),
    "reminders_sent": TableRule(
        "Which reminders went to the resident.",
        owner="user_id",
        columns=_all(DELETE, "id", "user_id", "account_id", "kind", "subject_id", "period", "email_id", "created_at"),
    ),
    "public_letters": TableRule(
        "Letters the public made us send to the address (the letter limit).",
        owner="recipient",
        columns=_all(DELETE, "id", "kind", "recipient", "client_address", "created_at"),
    ),
    "data_archives": TableRule(
        "«Мои данные» archives not yet downloaded: the person's data itself.",
        owner="user_id",
        columns=_all(DELETE, "id", "user_id", "token_hash", "status", "content", "size_bytes", "created_at")
        | _all(DELETE, "expires_at", "downloaded_at"),
    ),
    "audit_events": TableRule(
        "The journal stays: what happened and when is the provider's proof (a closure, a payment, a reading). "
        "The resident's network addresses go; details go too, except those of money and readings (amounts, "
        "periods, ids), and any that name one of the resident's addresses.",
        owner="actor_user_id",
        columns={
            **_all(KEEP, "id", "created_at", "actor_user_id", "action", "provider_id", "target_type", "target_id"),
            **_all(CLEAR, "client_address", "details"),
        },
    ),
    # The stand-ins for YooKassa and Resend (demo mode and tests only): their rows play the outside services'
    # own records, which are theirs to keep; production has these tables empty.
    "sandbox_yookassa_payments": TableRule(
        "The YooKassa stand-in's own records.",
        columns=_all(KEEP, *["id", "idempotence_key", "status", "body", "created_at"]),
    ),
    "sandbox_yookassa_refunds": TableRule(
        "The YooKassa stand-in's own records.",
        columns=_all(KEEP, *["id", "idempotence_key", "payment_id", "status", "body", "created_at"]),
    ),
    "sandbox_resend_emails": TableRule(
        "The Resend stand-in's own records.",
        columns=_all(KEEP, *["id", "idempotency_key", "to_address", "body", "created_at"]),
    ),
}
