"""What operators do on the admin page; every function first checks that the actor is an admin.

A resident's or an anonymous id gets the same «not found» as a missing page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re

from sqlmodel import Session, col, func, or_, select

from cabinet.config import get_settings
from cabinet.models import (
    AccountChecksum,
    AccountLink,
    AuditEvent,
    EmailStatus,
    LoginSession,
    MeterReading,
    OutgoingEmail,
    OwnershipCheck,
    Payment,
    PaymentNotification,
    PaymentStatus,
    Provider,
    ProviderAccount,
    ReadingWindowPolicy,
    UploadedImage,
    User,
    UserRole,
)
from cabinet.services import exports, payments, registry, sessions
from cabinet.services.receipt_images import check_receipt_image, shown_receipt_image, uploaded_image_id
from cabinet.services.accounts import luhn_is_valid, normalize_account_number
from cabinet.services.access import require_operator
from cabinet.services.audit import record_event
from cabinet.services.auth import find_user_by_email, resend_confirmation
from cabinet.services.calendar import local_date, month_start, start_of_local_day
from cabinet.errors import DomainError
from cabinet.services.identity import parse_email
from cabinet.services.ids import get_by_id, parse_id
from cabinet.money import parse_rubles
from cabinet.services.passwords import check_new_password, hash_password
from cabinet.services.readings import UNIT

MAX_IMAGE_BYTES = 2 * 1024 * 1024
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _require_id(value: object) -> None:
    if parse_id(value) is None:
        raise DomainError("not_found")


# --- overview -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Overview:
    residents: int
    linked_accounts: int
    payments_today: int
    paid_today_kopecks: int
    payments_month: int
    paid_month_kopecks: int
    readings_this_month: int
    outbox_queued: int
    outbox_failed: int


def overview(session: Session, *, actor_id: int, now: dt.datetime) -> Overview:
    require_operator(session, actor_id)
    today = local_date(now)
    day_start, month_begin = start_of_local_day(today), start_of_local_day(month_start(today))

    def count(model, *where) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    def paid(since: dt.datetime) -> tuple[int, int]:
        row = session.exec(
            select(func.count(), func.coalesce(func.sum(Payment.amount_kopecks), 0))
            .where(Payment.status == PaymentStatus.succeeded, col(Payment.paid_at) >= since)
        ).one()
        return int(row[0]), int(row[1])

    today_count, today_sum = paid(day_start)
    month_count, month_sum = paid(month_begin)
    return Overview(
        residents=count(User, User.role == UserRole.resident),
        linked_accounts=count(AccountLink),
        payments_today=today_count,
        paid_today_kopecks=today_sum,
        payments_month=month_count,
        paid_month_kopecks=month_sum,
        readings_this_month=count(MeterReading, MeterReading.submitted_at >= month_begin),
        outbox_queued=count(OutgoingEmail, OutgoingEmail.status == EmailStatus.queued),
        outbox_failed=count(OutgoingEmail, OutgoingEmail.status == EmailStatus.failed),
    )


# --- providers -------------------------------------------------------------------------------------------


def inn_is_valid(inn: str) -> bool:
    """The check digits of a Russian taxpayer number (10 digits for companies, 12 for people)."""
    if not inn.isdigit() or len(inn) not in (10, 12):
        return False
    digits = [int(char) for char in inn]

    def check(weights: tuple[int, ...]) -> int:
        return sum(weight * digit for weight, digit in zip(weights, digits)) % 11 % 10

    if len(inn) == 10:
        return check(_INN10) == digits[9]
    return check(_INN11) == digits[10] and check(_INN12) == digits[11]


@dataclasses.dataclass
class ProviderForm:
    """What the provider form holds, as typed; `validate_provider` turns it into values."""

    name: str = ""
    inn: str = ""
    service_description: str = ""
    account_pattern: str = r"\d{10}"
    account_format_description: str = ""
    account_example: str = ""
    account_checksum: str = "none"
    hint_text: str = ""
    receipt_image: str = ""
    ownership_check: str = "none"
    reading_window_start_day: str = "15"
    reading_window_end_day: str = "25"
    reading_window_policy: str = "block"
    allow_zero_consumption: bool = True
    allow_rollover: bool = True
    consumption_cap: str = ""
    support_email: str = ""
    support_phone: str = ""
    unavailable_message: str = ""


class ProviderInvalid(DomainError):
    """The form has mistakes; `errors` maps field name → DomainError."""

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__("form_has_errors")
        self.errors = errors


def provider_form(provider: Provider) -> ProviderForm:
    cap = provider.consumption_cap_thousandths
    return ProviderForm(
        name=provider.name, inn=provider.inn, service_description=provider.service_description,
        account_pattern=provider.account_pattern, account_format_description=provider.account_format_description,
        account_example=provider.account_example, account_checksum=provider.account_checksum.value,
        hint_text=provider.hint_text,
        # A picture stored before the address rules is left out: not shown, and dropped when saved.
        receipt_image=shown_receipt_image(provider.receipt_image, allowed_hosts=get_settings().receipt_image_hosts),
        ownership_check=provider.ownership_check.value,
        reading_window_start_day=str(provider.reading_window_start_day),
        reading_window_end_day=str(provider.reading_window_end_day),
        reading_window_policy=provider.reading_window_policy.value,
        allow_zero_consumption=provider.allow_zero_consumption, allow_rollover=provider.allow_rollover,
        consumption_cap="" if cap is None else f"{cap / UNIT:g}".replace(".", ","),
        support_email=provider.support_email, support_phone=provider.support_phone,
        unavailable_message=provider.unavailable_message,
    )


def check_pattern(pattern: str, example: str, checksum: str) -> None:
    """The pattern compiles and the example fits it (and its check digit): what the form tests live."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        raise DomainError("provider_pattern_invalid") from None
    normalized = normalize_account_number(example)
    if not compiled.fullmatch(normalized):
        raise DomainError("provider_example_mismatch")
    if checksum == AccountChecksum.luhn.value and not luhn_is_valid(normalized):
        raise DomainError("provider_example_checksum")


def validate_provider(form: ProviderForm) -> dict:
    """The provider's column values, or ProviderInvalid naming every bad field."""
    errors: dict[str, DomainError] = {}
    values: dict = {}

    def text(field: str, limit: int, *, required: bool = False) -> str:
        value = " ".join(str(getattr(form, field)).split()) if field != "hint_text" else str(form.hint_text).strip()
        if required and not value:
            errors[field] = DomainError("field_required")
        elif len(value) > limit:
            errors[field] = DomainError("field_too_long", max=limit)
        return value

    values["name"] = text("name", 200, required=True)
    values["service_description"] = text("service_description", 200)
    values["account_format_description"] = text("account_format_description", 200, required=True)
    values["hint_text"] = text("hint_text", 1000)
    values["unavailable_message"] = text("unavailable_message", 500)
    values["support_phone"] = text("support_phone", 40)
    values["receipt_image"] = form.receipt_image.strip()  # checked by _provider_values, which has the database
    inn = re.sub(r"\s", "", form.inn)
    if not inn_is_valid(inn):
        errors["inn"] = DomainError("provider_inn_invalid")
    values["inn"] = inn
    pattern = form.account_pattern.strip()
    example = normalize_account_number(form.account_example)
    values["account_pattern"], values["account_example"] = pattern, example
    if not pattern:
        errors["account_pattern"] = DomainError("field_required")
    elif len(pattern) > 200:
        errors["account_pattern"] = DomainError("field_too_long", max=200)
    else:
        try:
            check_pattern(pattern, example, form.account_checksum)
        except DomainError as error:
            errors["account_pattern" if error.code == "provider_pattern_invalid" else "account_example"] = error
    for field, enum in (("account_checksum", AccountChecksum), ("ownership_check", OwnershipCheck),
                        ("reading_window_policy", ReadingWindowPolicy)):
        try:
            values[field] = enum(getattr(form, field))
        except ValueError:
            errors[field] = DomainError("field_choice")
    for field in ("reading_window_start_day", "reading_window_end_day"):
        raw = str(getattr(form, field)).strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 31:
            errors[field] = DomainError("provider_day_invalid")
        else:
            values[field] = int(raw)
    values["allow_zero_consumption"] = bool(form.allow_zero_consumption)
    values["allow_rollover"] = bool(form.allow_rollover)
    cap = form.consumption_cap.strip()
    if not cap:
        values["consumption_cap_thousandths"] = None
    else:
        try:
            # The same grammar as money, in units instead of roubles: «150» or «150,5».
            kopecks_like = parse_rubles(cap)
            values["consumption_cap_thousandths"] = kopecks_like * 10
            if kopecks_like <= 0:
                raise DomainError("provider_cap_invalid")
        except DomainError:
            errors["consumption_cap"] = DomainError("provider_cap_invalid")
    support = form.support_email.strip()
    if support:
        try:
            values["support_email"] = parse_email(support).display
        except DomainError as error:
            errors["support_email"] = error
    else:
        values["support_email"] = ""
    if errors:
        raise ProviderInvalid(errors)
    return values


def _receipt_image_error(session: Session, value: str) -> DomainError | None:
    try:
        check_receipt_image(value, allowed_hosts=get_settings().receipt_image_hosts)
    except DomainError as error:
        return error
    image_id = uploaded_image_id(value)
    if image_id is not None and load_image(session, image_id) is None:
        return DomainError("provider_image_missing")
    return None


def _provider_values(session: Session, form: ProviderForm) -> dict:
    """validate_provider's values, the receipt picture's address checked too (an uploaded one must exist)."""
    errors: dict[str, DomainError] = {}
    try:
        values = validate_provider(form)
    except ProviderInvalid as invalid:
        errors, values = invalid.errors, {}
    if picture_error := _receipt_image_error(session, form.receipt_image.strip()):
        errors["receipt_image"] = picture_error
    if errors:
        raise ProviderInvalid(errors)
    return values


def save_provider(session: Session, *, actor_id: int, provider_id: int | None, form: ProviderForm,
                  now: dt.datetime) -> Provider:
    """Creates (provider_id None) or edits a provider; the audit event keeps what changed."""
    require_operator(session, actor_id)
    values = _provider_values(session, form)
    if provider_id is None:
        provider = Provider(**values, created_at=now, updated_at=now)
        before: dict = {}
    else:
        provider = get_by_id(session, Provider, provider_id)
        if provider is None:
            raise DomainError("not_found")
        before = {key: _plain(getattr(provider, key)) for key in values}
        for key, value in values.items():
            setattr(provider, key, value)
        provider.updated_at = now
    session.add(provider)
    session.flush()
    after = {key: _plain(value) for key, value in values.items()}
    changed = {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}
    record_event(session=session, action="provider_created" if provider_id is None else "provider_updated",
                 now=now, actor_user_id=actor_id, target_type="provider", target_id=provider.id,
                 details={"changed": changed})
    return provider


def _plain(value: object) -> object:
    return value.value if hasattr(value, "value") else value


def set_provider_active(session: Session, *, actor_id: int, provider_id: int, active: bool, now: dt.datetime) -> Provider:
    """Deactivated: no new links; existing links, payments and readings stay."""
    require_operator(session, actor_id)
    provider = get_by_id(session, Provider, provider_id)
    if provider is None:
        raise DomainError("not_found")
    provider.is_active = active
    provider.updated_at = now
    session.add(provider)
    record_event(session=session, action="provider_activated" if active else "provider_deactivated", now=now,
                 actor_user_id=actor_id, target_type="provider", target_id=provider_id)
    return provider


def list_providers(session: Session, *, actor_id: int) -> list[tuple[Provider, int]]:
    """Every provider with how many registry accounts it has."""
    require_operator(session, actor_id)
    counts = dict(session.exec(
        select(ProviderAccount.provider_id, func.count()).group_by(col(ProviderAccount.provider_id))
    ).all())
    return [(provider, int(counts.get(provider.id, 0)))
            for provider in session.exec(select(Provider).order_by(col(Provider.name)))]


def get_provider_for_admin(session: Session, *, actor_id: int, provider_id: int) -> Provider:
    require_operator(session, actor_id)
    provider = get_by_id(session, Provider, provider_id)
    if provider is None:
        raise DomainError("not_found")
    return provider


def store_image(session: Session, *, actor_id: int, data: bytes, now: dt.datetime) -> str:
    """Keeps an uploaded PNG or JPEG (checked by its bytes, not its name); returns its URL."""
    require_operator(session, actor_id)
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError("image_too_large", max_mb=MAX_IMAGE_BYTES // (1024 * 1024))
    content_type = next((kind for signature, kind in _IMAGE_SIGNATURES.items() if data.startswith(signature)), None)
    if content_type is None:
        raise DomainError("image_type")
    digest = hashlib.sha256(data).hexdigest()
    image = session.exec(select(UploadedImage).where(UploadedImage.sha256 == digest)).first()
    stored = image is None
    if image is None:
        image = UploadedImage(content_type=content_type, sha256=digest, size_bytes=len(data), data=data,
                              uploaded_by=actor_id, created_at=now)
        session.add(image)
        session.flush()
    # Audited even when the same picture was already kept: the picture is what residents are told
    # to compare their receipt with, so who offered it and when matters.
    record_event(session=session, action="image_uploaded", now=now, actor_user_id=actor_id, target_type="image",
                 target_id=image.id, details={"content_type": content_type, "size_bytes": len(data),
                                              "sha256": digest, "stored": stored})
    return f"/api/images/{image.id}"


def load_image(session: Session, image_id: int) -> UploadedImage | None:
    """Public: receipt pictures are shown to anyone choosing a provider."""
    return get_by_id(session, UploadedImage, image_id)


# --- residents ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ResidentDetail:
    user: User
    links: list[tuple[AccountLink, ProviderAccount, Provider]]
    payments: list[Payment]
    sign_ins: list[AuditEvent]
    sessions_active: int


def search_residents(session: Session, *, actor_id: int, query: str, limit: int = 50) -> list[User]:
    """By e-mail, name or a linked account's number."""
    require_operator(session, actor_id)
    text = query.strip()
    statement = select(User).order_by(col(User.created_at).desc()).limit(limit)
    if text:
        pattern = f"%{text.lower()}%"
        number = normalize_account_number(text)
        by_account = (
            select(AccountLink.user_id)
            .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
            .where(col(ProviderAccount.number).contains(number) if number else False)
        )
        statement = statement.where(or_(
            col(User.email_canonical).like(pattern),
            func.lower(User.full_name).like(pattern),
            col(User.id).in_(by_account),
        ))
    return list(session.exec(statement))


def resident_detail(session: Session, *, actor_id: int, user_id: int, now: dt.datetime) -> ResidentDetail:
    require_operator(session, actor_id)
    user = get_by_id(session, User, user_id)
    if user is None:
        raise DomainError("not_found")
    from cabinet.services.accounts import links_of

    payments = list(session.exec(
        select(Payment).where(Payment.user_id == user_id).order_by(col(Payment.created_at).desc()).limit(50)))
    sign_ins = list(session.exec(
        select(AuditEvent)
        .where(AuditEvent.actor_user_id == user_id, col(AuditEvent.action).in_(("sign_in", "sign_in_failed")))
        .order_by(col(AuditEvent.created_at).desc())
        .limit(30)
    ))
    active = session.exec(
        select(func.count()).select_from(LoginSession)
        .where(LoginSession.user_id == user_id, col(LoginSession.revoked_at).is_(None), LoginSession.expires_at > now)
    ).one()
    return ResidentDetail(user, links_of(session=session, user_id=user_id), payments, sign_ins, int(active))


def set_blocked(session: Session, *, actor_id: int, user_id: int, blocked: bool, now: dt.datetime) -> User:
    """Blocking also ends every session of the resident at once."""
    admin = require_operator(session, actor_id)
    user = get_by_id(session, User, user_id)
    if user is None:
        raise DomainError("not_found")
    if user.id == admin.id:
        raise DomainError("admin_cannot_block_self")
    user.is_blocked = blocked
    user.updated_at = now
    session.add(user)
    ended = sessions.end_sessions_of(session=session, user_id=user_id, now=now) if blocked else 0
    record_event(session=session, action="user_blocked" if blocked else "user_unblocked", now=now,
                 actor_user_id=actor_id, target_type="user", target_id=user_id, details={"sessions_ended": ended})
    return user


def resend_confirmation_for(session: Session, *, actor_id: int, user_id: int, now: dt.datetime) -> None:
    require_operator(session, actor_id)
    user = get_by_id(session, User, user_id)
    if user is None:
        raise DomainError("not_found")
    if user.confirmed_at is not None:
        raise DomainError("admin_already_confirmed")
    resend_confirmation(session=session, email=user.email, now=now)
    record_event(session=session, action="confirmation_resent", now=now, actor_user_id=actor_id,
                 target_type="user", target_id=user_id)


# --- payments -------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PaymentFilter:
    provider_id: int | None = None
    status: PaymentStatus | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _provider_filter(filters: PaymentFilter) -> int | None:
    """None for «all providers»; an id no provider can have (out of range) becomes 0, which matches none."""
    if filters.provider_id is None:
        return None
    return parse_id(filters.provider_id) or 0


def list_payments(session: Session, *, actor_id: int, filters: PaymentFilter, limit: int = 500
                  ) -> tuple[list[tuple[Payment, ProviderAccount, Provider, User]], int, int]:
    """Payments with their account, provider and payer; plus the count and sum of succeeded ones."""
    require_operator(session, actor_id)
    statement = (
        select(Payment, ProviderAccount, Provider, User)
        .join(ProviderAccount, col(ProviderAccount.id) == Payment.account_id)
        .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
        .join(User, col(User.id) == Payment.user_id)
    )
    provider_id = _provider_filter(filters)
    if provider_id is not None:
        statement = statement.where(Provider.id == provider_id)
    if filters.status:
        statement = statement.where(Payment.status == filters.status)
    if filters.since:
        statement = statement.where(Payment.created_at >= filters.since)
    if filters.until:
        statement = statement.where(Payment.created_at < filters.until)
    rows = list(session.exec(statement.order_by(col(Payment.created_at).desc()).limit(limit)))
    total_statement = statement.with_only_columns(func.count(), func.coalesce(func.sum(Payment.amount_kopecks), 0)) \
        .where(Payment.status == PaymentStatus.succeeded).order_by(None)
    count, total = session.exec(total_statement).one()
    return rows, int(count), int(total)


def payment_detail(session: Session, *, actor_id: int, payment_id: int
                   ) -> tuple[Payment, ProviderAccount, Provider, User, list[PaymentNotification]]:
    require_operator(session, actor_id)
    payment = get_by_id(session, Payment, payment_id)
    if payment is None:
        raise DomainError("not_found")
    account = session.get(ProviderAccount, payment.account_id)
    provider = session.get(Provider, account.provider_id) if account else None
    user = session.get(User, payment.user_id)
    assert account is not None and provider is not None and user is not None
    notifications = list(session.exec(
        select(PaymentNotification)
        .where(PaymentNotification.gateway_payment_id == (payment.gateway_payment_id or "-"))
        .order_by(col(PaymentNotification.received_at).desc())
    )) if payment.gateway_payment_id else []
    return payment, account, provider, user, notifications


def check_at_gateway(session: Session, *, actor_id: int, payment_id: int, now: dt.datetime,
                     gateway: payments.Gateway | None = None) -> payments.Applied:
    """«Проверить в YooKassa»: re-reads the payment from the API and applies its status."""
    require_operator(session, actor_id)
    payment = get_by_id(session, Payment, payment_id)
    if payment is None:
        raise DomainError("not_found")
    if not payment.gateway_payment_id or payment.status in payments.FINAL:
        # Nothing to ask the API about: a payment never created there, or one whose status is settled.
        applied = payments.Applied(False, payment.status)
    else:
        # Applied in a transaction of its own, with the payment row locked, as a notification is.
        applied = payments.refresh_from_gateway(payment_id, gateway=gateway)
        session.refresh(payment)
    record_event(session=session, action="payment_checked_at_gateway", now=now, actor_user_id=actor_id,
                 target_type="payment", target_id=payment_id, details={"status": applied.status.value})
    return applied


def export_payments(session: Session, *, actor_id: int, filters: PaymentFilter, now: dt.datetime) -> bytes:
    """The payments list as a CSV for accountants (`;`, UTF-8 with BOM, safe in Excel)."""
    require_operator(session, actor_id)
    return exports.export_payments(session, provider_id=_provider_filter(filters), status=filters.status,
                                   since=filters.since, until=filters.until, actor_user_id=actor_id, now=now)


# --- readings export -------------------------------------------------------------------------------------------


def export_readings(session: Session, *, actor_id: int, provider_id: int, period: dt.date, mark_sent: bool,
                    now: dt.datetime) -> bytes:
    """A month's readings of one provider for its billing; with `mark_sent` residents can no longer change them."""
    require_operator(session, actor_id)
    if get_by_id(session, Provider, provider_id) is None:
        raise DomainError("not_found")
    return exports.export_readings(session, provider_id=provider_id, period=period, mark_sent=mark_sent, now=now,
                                   actor_user_id=actor_id)


# --- registry import ------------------------------------------------------------------------------------------


def preview_registry(session: Session, *, actor_id: int, provider_id: int,
                     source: registry.RegistrySource) -> registry.RegistryPreview:
    """What importing the file would do; writes nothing. The size limit is REGISTRY_MAX_MB."""
    require_operator(session, actor_id)
    _require_id(provider_id)
    return registry.preview_registry(session, provider_id=provider_id, source=source)


def import_registry(session: Session, *, actor_id: int, provider_id: int, source: registry.RegistrySource,
                    now: dt.datetime, progress: registry.Progress | None = None) -> registry.RegistryPreview:
    """Applies the file in the caller's transaction, all or nothing; audited with the admin as actor."""
    require_operator(session, actor_id)
    _require_id(provider_id)
    return registry.import_registry(session, provider_id=provider_id, source=source, now=now,
                                    actor_user_id=actor_id, progress=progress)


# --- audit -----------------------------------------------------------------------------------------------------


def audit_events(session: Session, *, actor_id: int, action: str = "", limit: int = 200
                 ) -> list[tuple[AuditEvent, User | None]]:
    require_operator(session, actor_id)
    statement = (
        select(AuditEvent, User)
        .join(User, col(User.id) == AuditEvent.actor_user_id, isouter=True)
        .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    )
    if action:
        statement = statement.where(AuditEvent.action == action)
    return list(session.exec(statement))


def audit_actions(session: Session, *, actor_id: int) -> list[str]:
    require_operator(session, actor_id)
    return sorted(session.exec(select(AuditEvent.action).distinct()).all())


def details_text(event: AuditEvent) -> str:
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        return event.details
    parts = []
    for key, value in details.items():
        if key == "changed" and isinstance(value, dict):
            # {"name": [before, after]} → «name: А → Б»; a new object shows only what it got.
            parts.extend(f"{field}: {_shown(old)} → {_shown(new)}" if old is not None else f"{field}: {_shown(new)}"
                         for field, (old, new) in value.items())
        else:
            parts.append(f"{key}: {_shown(value)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)


# --- the first admin ----------------------------------------------------------------------------------------


def create_admin(session: Session, *, email: str, password: str, now: dt.datetime) -> User:
    """`python -m cabinet create-admin`: a new confirmed admin, or an existing user promoted."""
    address = parse_email(email)
    settings = get_settings()
    check_new_password(password, password, min_length=settings.password_min_length,
                       max_length=settings.password_max_length)
    user = find_user_by_email(session=session, email_canonical=address.canonical)
    if user is not None and user.role == UserRole.admin:
        # A typo'd script must not silently reset an operator's password.
        raise DomainError("admin_exists", email=user.email)
    if user is None:
        user = User(email=address.display, email_canonical=address.canonical, password_hash=hash_password(password),
                    role=UserRole.admin, confirmed_at=now, created_at=now, updated_at=now)
    else:
        user.role = UserRole.admin
        user.password_hash = hash_password(password)
        user.confirmed_at = user.confirmed_at or now
        user.is_blocked = False
        user.updated_at = now
    session.add(user)
    session.flush()
    record_event(session=session, action="admin_created", now=now, target_type="user", target_id=user.id)
    return user
