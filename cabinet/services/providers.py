"""Providers on the admin side, within the acting staff member's scope (services/access.py); the form's rules are
in provider_form.py. Creating a provider, its legal name and INN, its own YooKassa shop and (de)activation are
the platform administrator's; a provider's operator edits the rest of its settings; a viewer only reads them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, col, func, select

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import Provider, ProviderAccount
from cabinet.services.access import StaffScope, require_platform_admin, require_staff
from cabinet.services.audit import record_event
from cabinet.services.ids import get_by_id
from cabinet.services.images import image_exists
from cabinet.services.provider_form import ProviderForm, ProviderInvalid, provider_form, validate_provider
from cabinet.services.receipt_images import check_receipt_image, uploaded_image_id
from cabinet.services.transactions import transactional


def _receipt_image_error(session: Session, value: str) -> DomainError | None:
    try:
        check_receipt_image(value, allowed_hosts=get_settings().receipt_image_hosts)
    except DomainError as error:
        return error
    image_id = uploaded_image_id(value)
    if image_id is not None and not image_exists(session=session, image_id=image_id):
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


@dataclasses.dataclass(frozen=True)
class SavedProvider:
    id: int
    name: str


@transactional()
def save_provider(
    *, session: Session, actor_id: int, provider_id: int | None, form: ProviderForm, now: dt.datetime
) -> SavedProvider:
    """Creates (provider_id None) or edits a provider; the audit event keeps what changed.

    Only the platform administrator creates one or changes its legal name, INN and YooKassa shop; an operator
    edits the rest of their own provider's settings; anyone else gets «не найдено»."""
    if provider_id is None:
        require_platform_admin(session, actor_id)
    else:
        scope = require_staff(session, actor_id)
        existing = scope.provider_to_operate(session, provider_id)
    values = _provider_values(session, form)
    if provider_id is None:
        provider = Provider(**values, created_at=now, updated_at=now)
        before: dict = {}
    else:
        provider = existing
        if not scope.is_platform_admin:
            _keep_admin_only_fields(provider, values)
        before = {key: _plain(getattr(provider, key)) for key in values}
        for key, value in values.items():
            setattr(provider, key, value)
        provider.updated_at = now
    session.add(provider)
    session.flush()
    after = {key: _plain(value) for key, value in values.items()}
    changed = {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}
    record_event(
        session=session,
        action="provider_created" if provider_id is None else "provider_updated",
        now=now,
        actor_user_id=actor_id,
        target_type="provider",
        target_id=provider.id,
        details={"changed": changed},
        provider_id=provider.id,
    )
    return SavedProvider(provider.id or 0, provider.name)


# What only the platform administrator changes, and the refusal an operator gets for each: the legal name
# and INN, and the provider's own YooKassa shop — it decides where residents' money goes.
ADMIN_ONLY_FIELDS = {
    "name": "provider_legal_admin_only",
    "inn": "provider_legal_admin_only",
    "yookassa_account_id": "provider_shop_admin_only",
}


def _keep_admin_only_fields(provider: Provider, values: dict) -> None:
    """An operator's form may not change ADMIN_ONLY_FIELDS: the page shows them read-only, and a change sent
    anyway is refused next to its field rather than silently dropped."""
    errors = {
        key: DomainError(code, field=key)
        for key, code in ADMIN_ONLY_FIELDS.items()
        if key in values and values[key] != getattr(provider, key)
    }
    if errors:
        raise ProviderInvalid(errors)


def _plain(value: object) -> object:
    return value.value if hasattr(value, "value") else value


@transactional()
def set_provider_active(*, session: Session, actor_id: int, provider_id: int, active: bool, now: dt.datetime) -> None:
    """Deactivated: no new links; existing links, payments and readings stay. The platform administrator's only."""
    require_platform_admin(session, actor_id)
    provider = get_by_id(session, Provider, provider_id)
    if provider is None:
        raise DomainError("not_found")
    provider.is_active = active
    provider.updated_at = now
    session.add(provider)
    record_event(
        session=session,
        action="provider_activated" if active else "provider_deactivated",
        now=now,
        actor_user_id=actor_id,
        target_type="provider",
        target_id=provider.id,
        provider_id=provider.id,
    )


@dataclasses.dataclass(frozen=True)
class ProviderRow:
    """A provider as the operators' lists show it."""

    id: int
    name: str
    inn: str
    format: str
    accounts: int
    active: bool
    # Whether the acting staff member may change its settings (an operator of it, or the administrator).
    may_change: bool = False


@transactional()
def list_providers(*, session: Session, actor_id: int) -> list[ProviderRow]:
    """The providers the acting staff member sees, by name, with how many registry accounts each has."""
    scope = require_staff(session, actor_id)
    return providers_in_scope(session, scope)


def providers_in_scope(session: Session, scope: StaffScope) -> list[ProviderRow]:
    """The scope's providers by name (every one for the administrator), each marked whether it may be changed."""
    counts = dict(
        session.exec(
            select(ProviderAccount.provider_id, func.count())
            .where(scope.visible(ProviderAccount.provider_id))
            .group_by(col(ProviderAccount.provider_id))
        ).all()
    )
    return [
        ProviderRow(
            provider.id or 0,
            provider.name,
            provider.inn,
            provider.account_format_description,
            int(counts.get(provider.id, 0)),
            provider.is_active,
            scope.operates(provider.id),
        )
        for provider in session.exec(select(Provider).where(scope.visible(Provider.id)).order_by(col(Provider.name)))
    ]


def get_provider_for_admin(*, session: Session, actor_id: int, provider_id: object) -> Provider:
    """A provider the acting staff member sees; a foreign or missing id is «не найдено» alike."""
    return require_staff(session, actor_id).provider_to_see(session, provider_id)


@transactional()
def edit_provider_form(*, session: Session, actor_id: int, provider_id: object) -> ProviderForm:
    """A provider's form filled in for editing (or, for a viewer, for reading: saving refuses them)."""
    return provider_form(get_provider_for_admin(session=session, actor_id=actor_id, provider_id=provider_id))


@dataclasses.dataclass(frozen=True)
class ProviderEditing:
    """A provider's form as the admin page opens it, and what of it the acting staff member may change."""

    form: ProviderForm
    may_change: bool  # its operator or the administrator: the form can be saved
    may_change_legal: bool  # the administrator only: the legal name, INN and YooKassa shop (ADMIN_ONLY_FIELDS)


@transactional()
def provider_editing(*, session: Session, actor_id: int, provider_id: object) -> ProviderEditing:
    """A provider the acting staff member sees, opened in the admin form; «не найдено» for a foreign one."""
    scope = require_staff(session, actor_id)
    provider = scope.provider_to_see(session, provider_id)
    return ProviderEditing(provider_form(provider), scope.operates(provider.id), scope.is_platform_admin)


def list_active_providers(*, session: Session) -> list[Provider]:
    """Providers a resident may connect an account of, by name."""
    return list(session.exec(select(Provider).where(Provider.is_active).order_by(Provider.name)))
