"""Who the staff are, as /admin/staff shows them, and the checks and writes the staff entries share.

A platform administrator (`users.role = 'admin'`) needs no membership; a provider's operator or viewer is a
user with `staff_memberships`. The entries are in services/admin/staff.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import Provider, StaffMembership, StaffRole, User, UserRole
from cabinet.services.access import require_staff
from cabinet.services.ids import get_by_id, parse_id
from cabinet.services.transactions import transactional

# The form's fields a refusal belongs to.
EMAIL, ROLE, PROVIDERS = "email", "role", "providers"


@dataclasses.dataclass(frozen=True)
class ProviderRef:
    id: int
    name: str


@dataclasses.dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    full_name: str
    # admin (platform administrator), operator, viewer, or mixed (an operator for some, a viewer for others)
    role: str
    providers: list[ProviderRef]
    status: str  # invited | active | blocked
    is_self: bool


@dataclasses.dataclass(frozen=True)
class StaffPage:
    """What /admin/staff shows: every staff member and the providers to choose from for an administrator;
    only their own card (and no providers to choose) for provider staff."""

    is_platform_admin: bool
    members: list[StaffMember]
    providers: list[ProviderRef]


def staff_status(user: User) -> str:
    if user.is_blocked:
        return "blocked"
    return "invited" if user.confirmed_at is None else "active"


def memberships_of(session: Session, user_ids: Iterable[int]) -> dict[int, list[tuple[ProviderRef, StaffRole]]]:
    ids = sorted(set(user_ids))
    found: dict[int, list[tuple[ProviderRef, StaffRole]]] = {user_id: [] for user_id in ids}
    if not ids:
        return found
    rows = session.exec(
        select(StaffMembership.user_id, StaffMembership.role, Provider.id, Provider.name)
        .join(Provider, col(Provider.id) == StaffMembership.provider_id)
        .where(col(StaffMembership.user_id).in_(ids))
        .order_by(Provider.name, Provider.id)
    ).all()
    for user_id, role, provider_id, name in rows:
        found[user_id].append((ProviderRef(provider_id, name), role))
    return found


def member_of(user: User, memberships: list[tuple[ProviderRef, StaffRole]], *, reader_id: int) -> StaffMember:
    if user.role == UserRole.admin:
        role = "admin"
    else:
        roles = {staff_role.value for _ref, staff_role in memberships}
        role = roles.pop() if len(roles) == 1 else "mixed"
    return StaffMember(
        id=user.id or 0,
        email=user.email,
        full_name=user.full_name,
        role=role,
        providers=[ref for ref, _role in memberships] if user.role != UserRole.admin else [],
        status=staff_status(user),
        is_self=user.id == reader_id,
    )


def all_providers(session: Session) -> list[ProviderRef]:
    return [
        ProviderRef(provider.id or 0, provider.name)
        for provider in session.exec(select(Provider).order_by(Provider.name, Provider.id))
    ]


@transactional()
def list_staff(*, session: Session, actor_id: int) -> StaffPage:
    """Platform administrators first, then provider staff by address; provider staff get only their own card."""
    scope = require_staff(session, actor_id)
    if not scope.is_platform_admin:
        own = memberships_of(session, [scope.user_id])[scope.user_id]
        return StaffPage(False, [member_of(scope.user, own, reader_id=actor_id)], [])
    member_ids = select(StaffMembership.user_id)
    users = session.exec(
        select(User).where((User.role == UserRole.admin) | col(User.id).in_(member_ids)).order_by(User.email_canonical)
    ).all()
    memberships = memberships_of(session, [user.id or 0 for user in users])
    members = [member_of(user, memberships[user.id or 0], reader_id=actor_id) for user in users]
    members.sort(key=lambda member: (member.role != "admin", member.email.lower()))
    return StaffPage(True, members, all_providers(session))


# --- checking a form ------------------------------------------------------------------------------


def parse_role(value: object) -> StaffRole:
    try:
        return StaffRole(str(value))
    except ValueError:
        raise DomainError("staff_role_required", field=ROLE) from None


def chosen_providers(session: Session, values: Iterable[object]) -> list[Provider]:
    chosen: dict[int, Provider] = {}
    for value in values:
        provider = get_by_id(session, Provider, value)
        if provider is None or provider.id is None:
            raise DomainError("provider_not_found", field=PROVIDERS)
        chosen[provider.id] = provider
    if not chosen:
        raise DomainError("staff_providers_required", field=PROVIDERS)
    return sorted(chosen.values(), key=lambda provider: (provider.name, provider.id or 0))


def providers_by_reference(session: Session, references: Iterable[str]) -> list[int]:
    """Provider ids from ids or exact names (the command line); DomainError naming the first unknown one."""
    ids: list[int] = []
    for reference in references:
        text = reference.strip()
        number = parse_id(text)
        provider = session.get(Provider, number) if number is not None and text.isdigit() else None
        if provider is None:
            provider = session.exec(select(Provider).where(Provider.name == text).order_by(Provider.id)).first()
        if provider is None or provider.id is None:
            raise DomainError("staff_provider_unknown", field=PROVIDERS, reference=text)
        ids.append(provider.id)
    return ids


def set_memberships(
    session: Session, user_id: int, providers: list[Provider], role: StaffRole, *, now: dt.datetime, only_add: bool
) -> None:
    """The chosen providers with `role`; the others are left (`only_add`) or removed."""
    existing = {
        m.provider_id: m for m in session.exec(select(StaffMembership).where(StaffMembership.user_id == user_id))
    }
    wanted = {provider.id for provider in providers}
    for provider_id, membership in existing.items():
        if provider_id in wanted:
            membership.role = role
            session.add(membership)
        elif not only_add:
            session.delete(membership)
    for provider_id in sorted(wanted - existing.keys()):  # type: ignore[operator]
        session.add(StaffMembership(user_id=user_id, provider_id=provider_id, role=role, created_at=now))
    session.flush()


def single_provider(providers: list[Provider]) -> int | None:
    return providers[0].id if len(providers) == 1 else None


def provider_names(providers: list[Provider]) -> str:
    return ", ".join(f"«{provider.name}»" if "«" not in provider.name else provider.name for provider in providers)


def role_text(role: StaffRole) -> str:
    return texts.STAFF["letter_roles"][role.value]


# --- changing, blocking, removing -------------------------------------------------------------------


def provider_staff(session: Session, user_id: object) -> User:
    """A provider's operator or viewer (never a platform administrator); «не найдено» for anyone else."""
    user = get_by_id(session, User, user_id)
    if user is None or user.role == UserRole.admin:
        raise DomainError("not_found")
    if session.exec(select(StaffMembership.id).where(StaffMembership.user_id == user.id)).first() is None:
        raise DomainError("not_found")
    return user


def member_now(session: Session, user: User, reader_id: int) -> StaffMember:
    """One member as the one reading the list sees them (`is_self` when it is the reader)."""
    return member_of(user, memberships_of(session, [user.id or 0])[user.id or 0], reader_id=reader_id)


def staff_provider_id(session: Session, user_id: int) -> int | None:
    ids = session.exec(select(StaffMembership.provider_id).where(StaffMembership.user_id == user_id)).all()
    return ids[0] if len(ids) == 1 else None
