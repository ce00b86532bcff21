"""Who may act on the admin side, and over which providers: the server-side check behind every admin action.

Three kinds of staff: a platform administrator (`users.role = 'admin'`) sees and changes everything,
including providers and staff; a provider operator and a provider viewer work for the providers their
`staff_memberships` name — an operator changes them, a viewer only reads (exports allowed). Every admin
service asks `require_staff` (or `require_platform_admin`) first and filters by the scope it returns; a
foreign provider's id gives the same «не найдено» as a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import Provider, StaffMembership, StaffRole, User, UserRole
from cabinet.services.ids import get_by_id
from cabinet.services.sessions import signed_in
from cabinet.services.transactions import transactional


@dataclass(frozen=True)
class StaffScope:
    """The acting staff member and the providers they may see and change; None means every provider."""

    user: User
    visible_ids: frozenset[int] | None
    operated_ids: frozenset[int] | None

    @property
    def user_id(self) -> int:
        return self.user.id  # type: ignore[return-value]

    @property
    def is_platform_admin(self) -> bool:
        return self.visible_ids is None

    @property
    def may_operate_any(self) -> bool:
        """Whether some provider is theirs to change (a viewer's pages hide the controls that change things)."""
        return self.operated_ids is None or bool(self.operated_ids)

    def sees(self, provider_id: int | None) -> bool:
        return provider_id is not None and (self.visible_ids is None or provider_id in self.visible_ids)

    def operates(self, provider_id: int | None) -> bool:
        return provider_id is not None and (self.operated_ids is None or provider_id in self.operated_ids)

    def visible(self, provider_column) -> sa.ColumnElement[bool]:
        """A WHERE clause keeping the rows of the providers this scope sees (every row for an administrator)."""
        if self.visible_ids is None:
            return sa.true()
        return provider_column.in_(sorted(self.visible_ids))

    def require_visible(self, provider_id: int | None) -> int:
        """The provider id when this scope sees it; «не найдено» for a foreign one, exactly like a missing one."""
        if not self.sees(provider_id):
            raise DomainError("not_found")
        return provider_id  # type: ignore[return-value]

    def require_operated(self, provider_id: int | None) -> int:
        """The provider id when this scope may change it; a viewer's own provider is «не найдено» too."""
        if not self.operates(provider_id):
            raise DomainError("not_found")
        return provider_id  # type: ignore[return-value]

    def provider_to_see(self, session: Session, provider_id: object) -> Provider:
        """The provider row for any raw id (URL, form, event) this scope sees; «не найдено» otherwise."""
        provider = get_by_id(session, Provider, provider_id)
        if provider is None:
            raise DomainError("not_found")
        self.require_visible(provider.id)
        return provider

    def provider_to_operate(self, session: Session, provider_id: object) -> Provider:
        """The provider row for any raw id this scope may change; «не найдено» otherwise."""
        provider = self.provider_to_see(session, provider_id)
        self.require_operated(provider.id)
        return provider


def _live_user(session: Session, actor_id: object) -> User:
    user = get_by_id(session, User, actor_id)
    if user is None or user.is_blocked:
        raise DomainError("not_found")
    return user


def staff_scope_of(session: Session, user: User) -> StaffScope | None:
    """The scope of an unblocked user, or None when they are not staff (a resident)."""
    if user.is_blocked:
        return None
    if user.role == UserRole.admin:
        return StaffScope(user=user, visible_ids=None, operated_ids=None)
    rows = session.exec(
        select(StaffMembership.provider_id, StaffMembership.role).where(StaffMembership.user_id == user.id)
    ).all()
    if not rows:
        return None
    visible = frozenset(provider_id for provider_id, _role in rows)
    operated = frozenset(provider_id for provider_id, role in rows if role == StaffRole.operator)
    return StaffScope(user=user, visible_ids=visible, operated_ids=operated)


def require_staff(session: Session, actor_id: object) -> StaffScope:
    """The acting staff member's scope, re-read now; anyone else (a resident, a blocked user, a made-up id)
    gets the same «не найдено» as a missing page, so the admin side is not confirmed to strangers."""
    scope = staff_scope_of(session, _live_user(session, actor_id))
    if scope is None:
        raise DomainError("not_found")
    return scope


def require_platform_admin(session: Session, actor_id: object) -> User:
    """The acting platform administrator (providers, staff, anything across providers); anyone else «не найдено»."""
    user = _live_user(session, actor_id)
    if user.role != UserRole.admin:
        raise DomainError("not_found")
    return user


def is_staff_session(*, session: Session, raw_token: str, now: dt.datetime) -> bool:
    """Whether a browser token is a live session of unblocked staff who may change some provider (the upload guard)."""
    who = signed_in(session=session, raw_token=raw_token, now=now)
    if who is None:
        return False
    user = session.get(User, who.user_id)
    scope = staff_scope_of(session, user) if user is not None else None
    return scope is not None and scope.may_operate_any


@transactional()
def is_operator_token(*, session: Session, raw_token: str, now: dt.datetime) -> bool:
    """The /_upload guard: whether a browser token is a live session of staff who may change something (reads only)."""
    return is_staff_session(session=session, raw_token=raw_token, now=now)
