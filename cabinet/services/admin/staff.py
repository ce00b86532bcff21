"""«Сотрудники»: the platform administrator invites provider operators and viewers, changes, blocks and
removes them; the invited person sets a password by the e-mailed link.

An invitation to a new address creates an unconfirmed user whose password cannot sign in, plus the
memberships, and mails a single-use link (72 h) that sets the password. Someone who already signs in
(a resident) keeps their one login: the memberships are added and the letter says so, with a link to
sign in, no password link. An unconfirmed account is treated as new: following the link proves the
mailbox, like a password reset. Every change is refused to anyone but a platform administrator with the
same «не найдено» as a missing page; provider staff see only their own card.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterable

from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import Provider, StaffMembership, StaffRole, TokenPurpose, User, UserRole
from cabinet.services import sessions, signups
from cabinet.services.access import require_platform_admin, require_staff
from cabinet.services.account_letters import lifetime_hours, link_to, send_letter
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email, parse_email
from cabinet.services.ids import get_by_id, parse_id
from cabinet.services.letter_limits import take_letter
from cabinet.services.passwords import check_new_password, hash_password, hashes_passwords
from cabinet.services.tokens import LINK, check_usable, consume_token, find_token, issue_token, revoke_tokens
from cabinet.services.transactions import transactional

# The form's fields a refusal belongs to.
EMAIL, ROLE, PROVIDERS = "email", "role", "providers"
INVITATION = TokenPurpose.staff_invitation
ACCEPT_PATH = "/staff/invitation/"


def unusable_password_hash() -> str:
    """A stored hash no password matches (bcrypt refuses it as malformed): the invited person sets theirs."""
    return "!" + secrets.token_hex(16)


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


@dataclasses.dataclass(frozen=True)
class Invited:
    user_id: int
    email: str
    # staff_invitation (a link that sets the password) or staff_access (they already sign in)
    letter: str


def staff_status(user: User) -> str:
    if user.is_blocked:
        return "blocked"
    return "invited" if user.confirmed_at is None else "active"


def _memberships(session: Session, user_ids: Iterable[int]) -> dict[int, list[tuple[ProviderRef, StaffRole]]]:
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


def _member(user: User, memberships: list[tuple[ProviderRef, StaffRole]], *, actor_id: int) -> StaffMember:
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
        is_self=user.id == actor_id,
    )


def _all_providers(session: Session) -> list[ProviderRef]:
    return [
        ProviderRef(provider.id or 0, provider.name)
        for provider in session.exec(select(Provider).order_by(Provider.name, Provider.id))
    ]


@transactional()
def list_staff(*, session: Session, actor_id: int) -> StaffPage:
    """Platform administrators first, then provider staff by address; provider staff get only their own card."""
    scope = require_staff(session, actor_id)
    if not scope.is_platform_admin:
        own = _memberships(session, [scope.user_id])[scope.user_id]
        return StaffPage(False, [_member(scope.user, own, actor_id=actor_id)], [])
    member_ids = select(StaffMembership.user_id)
    users = session.exec(
        select(User).where((User.role == UserRole.admin) | col(User.id).in_(member_ids)).order_by(User.email_canonical)
    ).all()
    memberships = _memberships(session, [user.id or 0 for user in users])
    members = [_member(user, memberships[user.id or 0], actor_id=actor_id) for user in users]
    members.sort(key=lambda member: (member.role != "admin", member.email.lower()))
    return StaffPage(True, members, _all_providers(session))


# --- checking a form ------------------------------------------------------------------------------


def _role(value: object) -> StaffRole:
    try:
        return StaffRole(str(value))
    except ValueError:
        raise DomainError("staff_role_required", field=ROLE) from None


def _providers(session: Session, values: Iterable[object]) -> list[Provider]:
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


def _set_memberships(
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


def _single_provider(providers: list[Provider]) -> int | None:
    return providers[0].id if len(providers) == 1 else None


def _provider_names(providers: list[Provider]) -> str:
    return ", ".join(f"«{provider.name}»" if "«" not in provider.name else provider.name for provider in providers)


def _role_text(role: StaffRole) -> str:
    return texts.STAFF["letter_roles"][role.value]


# --- inviting -------------------------------------------------------------------------------------


def _invite(
    session: Session,
    *,
    actor_id: int | None,
    email: str,
    role: object,
    provider_ids: Iterable[object],
    now: dt.datetime,
    client_address: str,
) -> Invited:
    address = parse_email(email)
    staff_role = _role(role)
    providers = _providers(session, provider_ids)
    user = find_user_by_email(session=session, email_canonical=address.canonical)
    if user is not None and user.role == UserRole.admin:
        raise DomainError("staff_is_admin", field=EMAIL)
    if user is not None and user.is_blocked:
        raise DomainError("staff_user_blocked", field=EMAIL)
    kind = "staff_invitation" if user is None or user.confirmed_at is None else "staff_access"
    # The per-address limit of every letter (services/letter_limits.py); an administrator inviting a whole
    # team is not the public, so their own address does not count towards the per-client one.
    if not take_letter(session=session, kind=kind, recipient=address.canonical, client_address="", now=now):
        raise DomainError("staff_letter_limit", field=EMAIL)
    created = user is None
    if user is None:
        user = User(
            email=address.display,
            email_canonical=address.canonical,
            password_hash=unusable_password_hash(),
            created_at=now,
            updated_at=now,
        )
        session.add(user)
        session.flush()
    assert user.id is not None
    _set_memberships(session, user.id, providers, staff_role, now=now, only_add=True)
    params = dict(role=_role_text(staff_role), providers=_provider_names(providers))
    if kind == "staff_invitation":
        # Issuing a new link kills the earlier one: only the newest letter works.
        token = issue_token(session=session, user_id=user.id, purpose=INVITATION, now=now)
        link = link_to(ACCEPT_PATH + token)
        send_letter(session, to=user.email, kind=kind, now=now, link=link, hours=lifetime_hours(INVITATION), **params)
    else:
        revoke_tokens(session=session, user_id=user.id, purpose=INVITATION, now=now)
        send_letter(session, to=user.email, kind=kind, now=now, link=link_to("/login"), **params)
    record_event(
        session=session,
        action="staff_invited",
        now=now,
        actor_user_id=actor_id,
        client_address=client_address,
        provider_id=_single_provider(providers),
        target_type="user",
        target_id=user.id,
        details={
            "email": user.email,
            "role": staff_role.value,
            "providers": [provider.id for provider in providers],
            "new_user": created,
            "letter": kind,
        },
    )
    return Invited(user_id=user.id, email=user.email, letter=kind)


@transactional()
def invite_staff(
    *,
    session: Session,
    actor_id: int,
    email: str,
    role: object,
    provider_ids: Iterable[object],
    now: dt.datetime,
    client_address: str = "",
) -> Invited:
    """Invites an operator or a viewer for the chosen providers (at least one); again for the same address
    adds the providers, sets the role for them and sends a new letter (the earlier link stops working)."""
    require_platform_admin(session, actor_id)
    return _invite(
        session,
        actor_id=actor_id,
        email=email,
        role=role,
        provider_ids=list(provider_ids),
        now=now,
        client_address=client_address,
    )


@transactional()
def invite_staff_from_cli(
    *, session: Session, email: str, role: str, providers: Iterable[str], now: dt.datetime
) -> Invited:
    """`python -m cabinet invite-staff`: the same invitation, providers named by id or exact name."""
    return _invite(
        session,
        actor_id=None,
        email=email,
        role=role,
        provider_ids=providers_by_reference(session, providers),
        now=now,
        client_address="",
    )


# --- changing, blocking, removing -------------------------------------------------------------------


def _provider_staff(session: Session, user_id: object) -> User:
    """A provider's operator or viewer (never a platform administrator); «не найдено» for anyone else."""
    user = get_by_id(session, User, user_id)
    if user is None or user.role == UserRole.admin:
        raise DomainError("not_found")
    if session.exec(select(StaffMembership.id).where(StaffMembership.user_id == user.id)).first() is None:
        raise DomainError("not_found")
    return user


def _member_now(session: Session, user: User, actor_id: int) -> StaffMember:
    return _member(user, _memberships(session, [user.id or 0])[user.id or 0], actor_id=actor_id)


@transactional()
def change_staff(
    *, session: Session, actor_id: int, user_id: object, role: object, provider_ids: Iterable[object], now: dt.datetime
) -> StaffMember:
    """Sets the role and exactly the chosen providers (at least one) of a staff member."""
    require_platform_admin(session, actor_id)
    user = _provider_staff(session, user_id)
    staff_role = _role(role)
    providers = _providers(session, list(provider_ids))
    assert user.id is not None
    _set_memberships(session, user.id, providers, staff_role, now=now, only_add=False)
    record_event(
        session=session,
        action="staff_changed",
        now=now,
        actor_user_id=actor_id,
        provider_id=_single_provider(providers),
        target_type="user",
        target_id=user.id,
        details={"role": staff_role.value, "providers": [provider.id for provider in providers]},
    )
    return _member_now(session, user, actor_id)


def _staff_provider_id(session: Session, user_id: int) -> int | None:
    ids = session.exec(select(StaffMembership.provider_id).where(StaffMembership.user_id == user_id)).all()
    return ids[0] if len(ids) == 1 else None


@transactional()
def set_staff_blocked(
    *, session: Session, actor_id: int, user_id: object, blocked: bool, now: dt.datetime
) -> StaffMember:
    """Blocking ends every session of theirs at once (and their invitation link); unblocking lets them sign in."""
    require_platform_admin(session, actor_id)
    user = _provider_staff(session, user_id)
    assert user.id is not None
    user.is_blocked = bool(blocked)
    user.updated_at = now
    session.add(user)
    ended = 0
    if blocked:
        ended = sessions.end_sessions_of(session=session, user_id=user.id, now=now)
        revoke_tokens(session=session, user_id=user.id, purpose=INVITATION, now=now)
    record_event(
        session=session,
        action="staff_blocked" if blocked else "staff_unblocked",
        now=now,
        actor_user_id=actor_id,
        provider_id=_staff_provider_id(session, user.id),
        target_type="user",
        target_id=user.id,
        details={"sessions_ended": ended},
    )
    session.flush()
    return _member_now(session, user, actor_id)


@transactional()
def remove_staff(*, session: Session, actor_id: int, user_id: object, now: dt.datetime) -> str:
    """Takes away every membership (the admin pages close for them on their next step) and the invitation
    link; their login stays, as a resident's. Returns their address for the notice."""
    require_platform_admin(session, actor_id)
    user = _provider_staff(session, user_id)
    assert user.id is not None
    provider_id = _staff_provider_id(session, user.id)
    memberships = session.exec(select(StaffMembership).where(StaffMembership.user_id == user.id)).all()
    for membership in memberships:
        session.delete(membership)
    revoke_tokens(session=session, user_id=user.id, purpose=INVITATION, now=now)
    record_event(
        session=session,
        action="staff_removed",
        now=now,
        actor_user_id=actor_id,
        provider_id=provider_id,
        target_type="user",
        target_id=user.id,
        details={"providers": sorted(m.provider_id for m in memberships)},
    )
    session.flush()
    return user.email


# --- the invited person's link ---------------------------------------------------------------------


def _invitation(session: Session, raw_token: str, now: dt.datetime) -> User:
    token = find_token(session=session, raw_token=raw_token, purpose=INVITATION)
    check_usable(token, now=now)
    user = session.get(User, token.user_id)
    if user is None or user.is_blocked:
        raise DomainError("token_invalid", field=LINK)
    return user


@transactional()
def check_invitation(*, session: Session, raw_token: str, now: dt.datetime) -> str:
    """The invited address, shown above the password form; token_invalid / token_used / token_expired otherwise."""
    return _invitation(session, raw_token, now).email


@transactional()
@hashes_passwords
def accept_invitation(
    *,
    session: Session,
    raw_token: str,
    password: str,
    password_repeat: str,
    now: dt.datetime,
    client_address: str = "",
    user_agent: str = "",
) -> str:
    """Sets the invited person's password, confirms the address, uses up the link and signs them in;
    returns the browser's session token. A refused password leaves the link working."""
    _invitation(session, raw_token, now)
    settings = get_settings()
    check_new_password(
        password, password_repeat, min_length=settings.password_min_length, max_length=settings.password_max_length
    )
    token = consume_token(session=session, raw_token=raw_token, purpose=INVITATION, now=now)
    user = session.get(User, token.user_id)
    assert user is not None and user.id is not None
    user.password_hash = hash_password(password)
    user.confirmed_at = user.confirmed_at or now
    user.updated_at = now
    session.add(user)
    # The link proved the mailbox: an unconfirmed sign-up of someone else with this address dies.
    signups.end_pending_signups(session=session, user_id=user.id, now=now)
    record_event(
        session=session,
        action="staff_invitation_accepted",
        now=now,
        actor_user_id=user.id,
        client_address=client_address,
        provider_id=_staff_provider_id(session, user.id),
        target_type="user",
        target_id=user.id,
    )
    return sessions.start_session(
        session=session,
        user_id=user.id,
        remember=False,
        now=now,
        client_address=client_address,
        user_agent=user_agent,
    )
