"""The operator guard every admin event asks first: who is acting, checked now, and where anyone else is sent."""

from __future__ import annotations

import reflex as rx

from cabinet.services import providers
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.session import SessionState, current_user_id

NOT_FOUND_ROUTE = "/404"


async def acting_operator_id(state: rx.State) -> int:
    """The signed-in operator's id, checked against the database now; 0 for anyone else.

    Inside a background event, call it within `async with self`. The services check the role again
    (services/access.py): this only decides whether the page answers at all.
    """
    user_id = await current_user_id(state)
    session_state = await state.get_state(SessionState)
    return user_id if user_id and session_state.is_staff else 0


def not_found() -> rx.event.EventSpec:
    """Where anyone but an operator is sent: the page that does not exist, so the admin pages are not confirmed."""
    return rx.redirect(NOT_FOUND_ROUTE, replace=True)


async def provider_choices(actor: int, *, operated: bool = False) -> list[Choice] | None:
    """The providers the acting staff member sees (with `operated`, only those they may change, for a select
    that changes something) as options of the admin pages' selects; None when they could not be read."""
    outcome = await call(providers.list_providers, actor_id=actor)
    if not outcome.ok:
        return None
    return [Choice(str(row.id), row.name) for row in outcome.value if row.may_change or not operated]
