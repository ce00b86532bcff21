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
from collections.abc import Iterable

from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import Provider, StaffMembership, StaffRole, User, UserRole
from cabinet.services import sessions
from cabinet.services.access import require_platform_admin
from cabinet.services.account_letters import lifetime_hours, link_to, send_letter
from cabinet.services.admin.staff_invitations import (
    ACCEPT_PATH,
    INVITATION,
    accept_invitation,
    check_invitation,
    unusable_password_hash,
)
from cabinet.services.admin.staff_members import (
    EMAIL,
    ProviderRef,
    StaffMember,
    StaffPage,
    chosen_providers,
    list_staff,
    member_now,
    parse_role,
    provider_names,
    provider_staff,
    providers_by_reference,
    role_text,
    set_memberships,
    single_provider,
    staff_provider_id,
)
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email, parse_email
from cabinet.services.letter_limits import take_letter
from cabinet.services.tokens import issue_token, revoke_tokens
from cabinet.services.transactions import transactional

# One namespace for the States, the command line and the tests.
__all__ = [
    "Invited",
    "ProviderRef",
    "StaffMember",
    "StaffPage",
    "accept_invitation",
    "change_staff",
    "check_invitation",
    "invite_staff",
    "invite_staff_from_cli",
    "list_staff",
    "remove_staff",
    "set_staff_blocked",
]


@dataclasses.dataclass(frozen=True)
class Invited:
    user_id: int
    email: str
    # staff_invitation (a link that sets the password) or staff_access (they already sign in)
    letter: str


# --- inviting -------------------------------------------------------------------------------------


def _send_letter(
    session: Session, user: User, kind: str, role: StaffRole, providers: list[Provider], *, now: dt.datetime
) -> None:
    """A new link that sets the password (the earlier one dies), or the notice that their login has access."""
    assert user.id is not None
    params = dict(role=role_text(role), providers=provider_names(providers))
    if kind == "staff_invitation":
        token = issue_token(session=session, user_id=user.id, purpose=INVITATION, now=now)
        link = link_to(ACCEPT_PATH + token)
        send_letter(session, to=user.email, kind=kind, now=now, link=link, hours=lifetime_hours(INVITATION), **params)
    else:
        revoke_tokens(session=session, user_id=user.id, purpose=INVITATION, now=now)
        send_letter(session, to=user.email, kind=kind, now=now, link=link_to("/login"), **params)


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
    staff_role = parse_role(role)
    providers = chosen_providers(session, provider_ids)
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
    set_memberships(session, user.id, providers, staff_role, now=now, only_add=True)
    _send_letter(session, user, kind, staff_role, providers, now=now)
    record_event(
        session=session,
        action="staff_invited",
        now=now,
        actor_user_id=actor_id,
        client_address=client_address,
        provider_id=single_provider(providers),
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


@transactional()
def change_staff(
    *, session: Session, actor_id: int, user_id: object, role: object, provider_ids: Iterable[object], now: dt.datetime
) -> StaffMember:
    """Sets the role and exactly the chosen providers (at least one) of a staff member."""
    require_platform_admin(session, actor_id)
    user = provider_staff(session, user_id)
    staff_role = parse_role(role)
    providers = chosen_providers(session, list(provider_ids))
    assert user.id is not None
    set_memberships(session, user.id, providers, staff_role, now=now, only_add=False)
    record_event(
        session=session,
        action="staff_changed",
        now=now,
        actor_user_id=actor_id,
        provider_id=single_provider(providers),
        target_type="user",
        target_id=user.id,
        details={"role": staff_role.value, "providers": [provider.id for provider in providers]},
    )
    return member_now(session, user, actor_id)


@transactional()
def set_staff_blocked(
    *, session: Session, actor_id: int, user_id: object, blocked: bool, now: dt.datetime
) -> StaffMember:
    """Blocking ends every session of theirs at once (and their invitation link); unblocking lets them sign in."""
    require_platform_admin(session, actor_id)
    user = provider_staff(session, user_id)
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
        provider_id=staff_provider_id(session, user.id),
        target_type="user",
        target_id=user.id,
        details={"sessions_ended": ended},
    )
    session.flush()
    return member_now(session, user, actor_id)


@transactional()
def remove_staff(*, session: Session, actor_id: int, user_id: object, now: dt.datetime) -> str:
    """Takes away every membership (the admin pages close for them on their next step) and the invitation
    link; their login stays, as a resident's. Returns their address for the notice."""
    require_platform_admin(session, actor_id)
    user = provider_staff(session, user_id)
    assert user.id is not None
    provider_id = staff_provider_id(session, user.id)
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
