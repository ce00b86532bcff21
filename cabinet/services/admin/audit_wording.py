"""Audit events as Russian sentences: names instead of ids, roubles instead of kopecks, readings with units.

`describe(session, events)` reads every name the events point at in a few queries (users, providers,
accounts, payments, meters) and fills texts.AUDIT's sentence for each code. A code without wording, a
lost row or details of an older shape read as a plain generic line: the journal never fails on history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import string
from collections.abc import Iterable, Sequence

from babel.dates import format_date
from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.models import AuditEvent, Meter, Payment, PaymentPart, Provider, ProviderAccount, User
from cabinet.money import format_rubles
from cabinet.services.identity import shown_email
from cabinet.services.ids import parse_id
from cabinet.services.meter_text import kind_label, reading_text

_IDS_PER_STATEMENT = 900
_MISSING = "—"


@dataclasses.dataclass(frozen=True)
class Described:
    """One event as the journal shows it."""

    who: str
    label: str
    sentence: str
    provider: str


class _Fields(dict):
    """A template's values: one it does not have reads «—» instead of failing."""

    def __missing__(self, key: str) -> str:
        return _MISSING


def _fill(template: str, fields: dict) -> str:
    return string.Formatter().vformat(template, (), _Fields(fields))


def action_label(code: str) -> str:
    """The short Russian name of an action code; an unknown one shows its code."""
    known = texts.AUDIT["events"].get(code)
    return known[0] if known else texts.AUDIT["generic_label"].format(code=code)


def details_of(event: AuditEvent) -> dict:
    """The event's details as a dict; anything else (old text, broken JSON) as {}."""
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}


def details_text(event: AuditEvent) -> str:
    """An event's raw details as one line, for codes without wording: «name: А → Б; sessions_ended: 2»."""
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        return event.details
    if not isinstance(details, dict):
        return str(details)
    parts = []
    for key, value in details.items():
        if key == "changed" and isinstance(value, dict):
            parts.extend(_change(str(field), pair) for field, pair in value.items())
        else:
            parts.append(f"{key}: {_shown(value)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return texts.AUDIT["yes" if value else "no"]
    return _MISSING if value in (None, "") else str(value)


def _change(field: str, pair: object) -> str:
    words = texts.AUDIT
    if isinstance(pair, list | tuple) and len(pair) == 2:
        before, after = pair
        if before is None:
            return words["change_new"].format(field=field, after=_shown(after))
        return words["change"].format(field=field, before=_shown(before), after=_shown(after))
    return words["change_new"].format(field=field, after=_shown(pair))


class _Names:
    """Every row the events name, read in batches."""

    def __init__(self, session: Session, events: Sequence[AuditEvent]) -> None:
        self.session = session
        targets = [(event.target_type, parse_id(event.target_id)) for event in events]
        details = [details_of(event) for event in events]
        self.payments: dict[int, Payment] = self._rows(Payment, (i for kind, i in targets if kind == "payment"))
        self.meters: dict[int, Meter] = self._rows(Meter, (i for kind, i in targets if kind == "meter"))
        account_ids = [i for kind, i in targets if kind == "account"]
        account_ids += [parse_id(d.get("account")) for d in details]
        # A payment's part for the event's provider (a payment for several accounts has an event per provider),
        # and by account, for an event about one part (created, refunded) of two accounts of one provider.
        self.parts: dict[tuple[int, int | None], PaymentPart] = {}
        self.account_parts: dict[tuple[int, int], PaymentPart] = {}
        payment_ids = sorted(self.payments)
        for start in range(0, len(payment_ids), _IDS_PER_STATEMENT):
            chunk = payment_ids[start : start + _IDS_PER_STATEMENT]
            for part in session.exec(
                select(PaymentPart).where(col(PaymentPart.payment_id).in_(chunk)).order_by(col(PaymentPart.position))
            ):
                self.parts.setdefault((part.payment_id, part.provider_id), part)
                self.parts.setdefault((part.payment_id, None), part)
                self.account_parts[(part.payment_id, part.account_id)] = part
        account_ids += [p.account_id for p in self.parts.values()] + [m.account_id for m in self.meters.values()]
        self.accounts: dict[int, ProviderAccount] = self._rows(ProviderAccount, account_ids)
        provider_ids = [event.provider_id for event in events]
        provider_ids += [i for kind, i in targets if kind == "provider"]
        provider_ids += [parse_id(d.get("provider")) for d in details]
        provider_ids += [parse_id(i) for d in details if isinstance(d.get("providers"), list) for i in d["providers"]]
        provider_ids += [a.provider_id for a in self.accounts.values()]
        self.providers: dict[int, Provider] = self._rows(Provider, provider_ids)
        user_ids = [event.actor_user_id for event in events] + [i for kind, i in targets if kind == "user"]
        self.users: dict[int, User] = self._rows(User, user_ids)

    def _rows(self, model, ids: Iterable[int | None]) -> dict:
        wanted = sorted({i for i in ids if i is not None})
        found: dict = {}
        for start in range(0, len(wanted), _IDS_PER_STATEMENT):
            chunk = wanted[start : start + _IDS_PER_STATEMENT]
            found.update({row.id: row for row in self.session.exec(select(model).where(col(model.id).in_(chunk)))})
        return found

    def who(self, user_id: int | None) -> str:
        user = self.users.get(user_id) if user_id is not None else None
        if user is None:
            return texts.AUDIT["nobody"]
        if user.full_name:
            return texts.AUDIT["who"].format(name=user.full_name, email=user.email)
        return shown_email(user)

    def provider_name(self, provider_id: int | None) -> str:
        provider = self.providers.get(provider_id) if provider_id is not None else None
        return f"«{provider.name}»" if provider is not None else _MISSING

    def account_fields(self, account_id: int | None) -> dict:
        account = self.accounts.get(account_id) if account_id is not None else None
        if account is None:
            return {}
        return {"account": account.number, "provider": self.provider_name(account.provider_id)}


def describe(session: Session, events: Sequence[AuditEvent]) -> list[Described]:
    """Each event's who, label, sentence and provider name, in the events' order."""
    names = _Names(session, events)
    return [_describe(names, event) for event in events]


def _describe(names: _Names, event: AuditEvent) -> Described:
    details = details_of(event)
    fields = _fields(names, event, details)
    wording = texts.AUDIT["events"].get(event.action)
    if wording is None:
        raw = details_text(event)
        sentence = texts.AUDIT["generic"].format(code=event.action, details=f": {raw}" if raw else "")
    else:
        sentence = _fill(wording[1], fields)
    provider = names.provider_name(event.provider_id) if event.provider_id is not None else ""
    return Described(names.who(event.actor_user_id), action_label(event.action), sentence, provider)


def _fields(names: _Names, event: AuditEvent, details: dict) -> dict:
    """Every placeholder this event can fill."""
    words = texts.AUDIT
    fields: dict = {key: _shown(value) for key, value in details.items() if not isinstance(value, dict | list)}
    target = parse_id(event.target_id)
    if event.provider_id is not None:
        fields["provider"] = names.provider_name(event.provider_id)
    if event.target_type == "provider":
        fields["provider"] = names.provider_name(target)
    elif event.target_type == "account":
        fields.update(names.account_fields(target))
    elif event.target_type == "user":
        user = names.users.get(target) if target is not None else None
        fields["resident"] = shown_email(user) if user is not None else _MISSING
    if event.action == "cabinet_closed":
        fields["by"] = words["closed_by"].get(str(details.get("by")), _MISSING)
    elif event.target_type == "payment":
        fields["payment"] = words["payment"].format(id=event.target_id)
        part = (
            names.account_parts.get((target, parse_id(details.get("account"))))
            or names.parts.get((target, event.provider_id))
            or names.parts.get((target, None))
        )
        if target is not None and part is not None:
            fields["amount"] = format_rubles(part.amount_kopecks)
            fields.update(names.account_fields(part.account_id))
    elif event.target_type == "meter":
        meter = names.meters.get(target) if target is not None else None
        if meter is not None:
            fields["meter"] = kind_label(meter.kind.value)
            fields.update(names.account_fields(meter.account_id))
            value = details.get("value")
            if isinstance(value, int) and not isinstance(value, bool):
                fields["value"] = reading_text(value, meter.digits_fraction, meter.kind.value)
    if isinstance(details.get("amount"), int):
        fields["amount"] = format_rubles(details["amount"])
    fields.update(_by_action(names, event.action, details, fields))
    return fields


def _by_action(names: _Names, action: str, details: dict, fields: dict) -> dict:
    """What only some codes keep in their details, in words."""
    words = texts.AUDIT
    extra: dict = {}
    period = _month(details.get("period"))
    if period:
        extra["period"] = period
    if action == "payments_exported":
        provider = parse_id(details.get("provider"))
        extra["provider"] = names.provider_name(provider) if provider else words["all_providers"]
        status = details.get("status")
        extra["status"] = texts.PAYMENTS["statuses"].get(status, status) if status else words["all_statuses"]
    elif action == "payment_checked_at_gateway":
        status = str(details.get("status", ""))
        extra["status"] = texts.PAYMENTS["statuses"].get(status, status or _MISSING)
    elif action == "readings_exported":
        extra["readings"] = words["readings_count"].format(count=details.get("readings", 0))
        extra["marked"] = words["readings_marked"] if details.get("marked_sent") else ""
    elif action == "support_question":
        account = parse_id(details.get("account"))
        account_fields = names.account_fields(account)
        extra["about"] = words["about_account"].format(**account_fields) if account_fields else ""
        topic = str(details.get("topic", ""))
        extra["topic"] = texts.QUESTIONS["topics"].get(topic, topic or _MISSING)
    elif action in ("provider_updated", "provider_created"):
        extra["changes"] = _provider_changes(details.get("changed"))
    elif action == "profile_updated":
        extra["changes"] = _profile_changes(details.get("before"), details.get("after"))
    elif action == "letter_limited":
        limit = str(details.get("limit", ""))
        extra["limit"] = words["letter_limits"].get(limit, limit or _MISSING)
    elif action.startswith("staff_"):
        extra.update(_staff_fields(names, details))
    elif action == "image_uploaded":
        size = details.get("size_bytes")
        extra["size"] = words["size_kb"].format(kb=max(1, round(size / 1024))) if isinstance(size, int) else _MISSING
    return extra


def _staff_fields(names: _Names, details: dict) -> dict:
    """A staff event's role and providers in words: «оператор», «Водоканал», «Энергосбыт»."""
    role = str(details.get("role", ""))
    providers = details.get("providers")
    listed = [names.provider_name(parse_id(i)) for i in providers] if isinstance(providers, list) else []
    return {
        "role": texts.STAFF["letter_roles"].get(role, role or _MISSING),
        "providers": ", ".join(listed) or _MISSING,
    }


def _month(value: object) -> str:
    try:
        # «ноябрь 2026»: the billing month, as a standalone month name.
        return format_date(dt.date.fromisoformat(str(value)), "LLLL yyyy", locale="ru") if value else ""
    except ValueError:
        return str(value)


def _provider_changes(changed: object) -> str:
    if not isinstance(changed, dict) or not changed:
        return texts.AUDIT["changes_none"]
    labels = texts.ADMIN["provider_fields"]
    return "; ".join(
        _change(labels[field][0] if field in labels else str(field), pair) for field, pair in changed.items()
    )


def _profile_changes(before: object, after: object) -> str:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    labels = texts.AUDIT["profile_fields"]
    parts = [
        _change(labels.get(field, field), [before.get(field) or "", after.get(field)])
        for field in after
        if before.get(field) != after.get(field)
    ]
    return "; ".join(parts) or texts.AUDIT["changes_none"]
