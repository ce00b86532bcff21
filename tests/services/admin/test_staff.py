"""«Сотрудники»: invitations (new address, an existing resident, a reissued link), accepting one, changing,
blocking and removing staff, and that nobody but a platform administrator may do any of it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import (
    AuditEvent,
    LoginSession,
    OneTimeToken,
    OutgoingEmail,
    StaffMembership,
    StaffRole,
    TokenPurpose,
    User,
    UserRole,
)
from cabinet.services import auth, sessions
from cabinet.services.access import require_staff
from cabinet.services.admin import staff
from cabinet.services.letter_limits import PER_ADDRESS_PER_HOUR
from cabinet.services.passwords import verify_password
from tests.factories import NOW, make_provider, make_user

LINK = re.compile(r"/staff/invitation/([A-Za-z0-9_\-]+)")


@pytest.fixture
def world(session):
    """A platform administrator, two providers and a resident who already signs in."""
    return {
        "admin": make_user(session, email="chief@example.com", role=UserRole.admin),
        "water": make_provider(session, name="МУП «Водоканал»"),
        "gas": make_provider(session, name="ООО «Газ-Сервис»"),
        "resident": make_user(session, email="olga@example.com", password="olga2026"),
    }


def _letters(session, to: str) -> list[OutgoingEmail]:
    return session.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == to).order_by(OutgoingEmail.id)).all()


def _token(letter: OutgoingEmail) -> str:
    return LINK.search(letter.text_body).group(1)


def _events(session, action: str) -> list[AuditEvent]:
    return session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _invite(session, world, email="ivan@example.com", role="operator", providers=("water",), **kwargs):
    return staff.invite_staff(
        session=session,
        actor_id=world["admin"].id,
        email=email,
        role=role,
        provider_ids=[world[name].id for name in providers],
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def test_inviting_a_new_address_creates_an_unconfirmed_user_memberships_and_a_letter(session, world):
    invited = _invite(session, world, email="Ivan@Example.com", providers=("water", "gas"))
    user = session.get(User, invited.user_id)
    assert (user.email_canonical, user.role, user.confirmed_at, invited.letter) == (
        "ivan@example.com",
        UserRole.resident,
        None,
        "staff_invitation",
    )
    assert not verify_password("", user.password_hash) and user.password_hash.startswith("!")
    memberships = session.exec(select(StaffMembership).where(StaffMembership.user_id == user.id)).all()
    assert {(m.provider_id, m.role) for m in memberships} == {
        (world["water"].id, StaffRole.operator),
        (world["gas"].id, StaffRole.operator),
    }
    (letter,) = _letters(session, "Ivan@example.com")
    assert letter.subject == "Приглашение в Личный кабинет «Кабинет»"
    assert "оператор — МУП «Водоканал», ООО «Газ-Сервис»" in letter.text_body
    assert "72 часа" in letter.text_body
    # Only the digest is kept, and it expires in 72 hours.
    token = session.exec(select(OneTimeToken).where(OneTimeToken.user_id == user.id)).one()
    assert token.purpose == TokenPurpose.staff_invitation and token.token_hash != _token(letter)
    assert token.expires_at == NOW + dt.timedelta(hours=72)
    (event,) = _events(session, "staff_invited")
    assert (event.actor_user_id, event.provider_id) == (world["admin"].id, None)  # two providers: none named
    # Not signed in before the link is followed: the scope knows them, sign-in does not.
    with pytest.raises(DomainError, match="sign_in_failed"):
        auth.authenticate(session=session, email="ivan@example.com", password="", now=NOW)


def test_an_invitation_for_one_provider_names_it_in_the_journal(session, world):
    _invite(session, world, role="viewer")
    (event,) = _events(session, "staff_invited")
    assert event.provider_id == world["water"].id
    assert json.loads(event.details)["role"] == "viewer"


def test_an_invited_resident_keeps_their_login_and_is_told_to_sign_in(session, world):
    resident = world["resident"]
    invited = _invite(session, world, email="OLGA@example.com", role="viewer")
    assert (invited.user_id, invited.letter) == (resident.id, "staff_access")
    assert verify_password("olga2026", session.get(User, resident.id).password_hash)
    (letter,) = _letters(session, "olga@example.com")
    assert "/login" in letter.text_body and not LINK.search(letter.text_body)
    assert "наблюдатель — МУП «Водоканал»" in letter.text_body
    assert session.exec(select(OneTimeToken).where(OneTimeToken.user_id == resident.id)).all() == []
    scope = require_staff(session, resident.id)
    assert scope.visible_ids == {world["water"].id} and scope.operated_ids == frozenset()


def test_a_second_invitation_kills_the_first_link(session, world):
    _invite(session, world)
    _invite(session, world, providers=("gas",))
    first, second = (_token(letter) for letter in _letters(session, "ivan@example.com"))
    with pytest.raises(DomainError) as dead:
        staff.check_invitation(session=session, raw_token=first, now=NOW)
    assert (dead.value.code, dead.value.field) == ("token_used", "link")
    assert staff.check_invitation(session=session, raw_token=second, now=NOW) == "ivan@example.com"
    user = session.exec(select(User).where(User.email_canonical == "ivan@example.com")).one()
    assert require_staff(session, user.id).visible_ids == {world["water"].id, world["gas"].id}


def test_accepting_sets_the_password_once_confirms_and_signs_in(session, world):
    invited = _invite(session, world)
    token = _token(_letters(session, "ivan@example.com")[0])
    later = NOW + dt.timedelta(hours=1)
    # A typo neither burns the link nor changes anything.
    with pytest.raises(DomainError) as typo:
        staff.accept_invitation(
            session=session, raw_token=token, password="ivan2026", password_repeat="ivan2027", now=later
        )
    assert (typo.value.code, typo.value.field) == ("password_mismatch", "password_repeat")
    with pytest.raises(DomainError) as weak:
        staff.accept_invitation(session=session, raw_token=token, password="иван", password_repeat="иван", now=later)
    assert (weak.value.code, weak.value.field) == ("password_latin_and_digits", "password")
    raw_session = staff.accept_invitation(
        session=session, raw_token=token, password="ivan2026", password_repeat="ivan2026", now=later
    )
    user = session.get(User, invited.user_id)
    assert user.confirmed_at == later and verify_password("ivan2026", user.password_hash)
    who = sessions.signed_in(session=session, raw_token=raw_session, now=later)
    assert who.user_id == user.id and who.is_staff and not who.is_platform_admin
    assert auth.authenticate(session=session, email="ivan@example.com", password="ivan2026", now=later).id == user.id
    # Single use: the same link never sets a password again.
    with pytest.raises(DomainError) as used:
        staff.accept_invitation(
            session=session, raw_token=token, password="other2026", password_repeat="other2026", now=later
        )
    assert (used.value.code, used.value.field) == ("token_used", "link")
    assert verify_password("ivan2026", session.get(User, user.id).password_hash)
    assert staff.list_staff(session=session, actor_id=world["admin"].id).members[-1].status == "active"


@pytest.mark.parametrize("raw_token", ["", "made-up-token", "x" * 300])
def test_a_foreign_link_is_refused(session, world, raw_token):
    _invite(session, world)
    with pytest.raises(DomainError) as refused:
        staff.check_invitation(session=session, raw_token=raw_token, now=NOW)
    assert (refused.value.code, refused.value.field) == ("token_invalid", "link")


def test_an_expired_link_is_refused_and_changes_nothing(session, world):
    invited = _invite(session, world)
    token = _token(_letters(session, "ivan@example.com")[0])
    late = NOW + dt.timedelta(hours=72, seconds=1)
    with pytest.raises(DomainError) as expired:
        staff.accept_invitation(
            session=session, raw_token=token, password="ivan2026", password_repeat="ivan2026", now=late
        )
    assert (expired.value.code, expired.value.field) == ("token_expired", "link")
    user = session.get(User, invited.user_id)
    assert user.confirmed_at is None and not verify_password("ivan2026", user.password_hash)
    assert session.exec(select(LoginSession)).all() == []


def test_a_reset_link_is_not_an_invitation(session, world):
    from cabinet.services.tokens import issue_token

    reset = issue_token(session=session, user_id=world["resident"].id, purpose=TokenPurpose.reset_password, now=NOW)
    with pytest.raises(DomainError, match="token_invalid"):
        staff.check_invitation(session=session, raw_token=reset, now=NOW)


@pytest.mark.parametrize(
    ("email", "role", "providers", "code", "field"),
    [
        ("", "operator", ("water",), "email_required", "email"),
        ("not an address", "operator", ("water",), "email_invalid", "email"),
        ("ivan@example.com", "", ("water",), "staff_role_required", "role"),
        ("ivan@example.com", "boss", ("water",), "staff_role_required", "role"),
        ("ivan@example.com", "operator", (), "staff_providers_required", "providers"),
        ("chief@example.com", "operator", ("water",), "staff_is_admin", "email"),
    ],
)
def test_a_bad_invitation_names_its_field_and_writes_nothing(session, world, email, role, providers, code, field):
    with pytest.raises(DomainError) as refused:
        _invite(session, world, email=email, role=role, providers=providers)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert session.exec(select(StaffMembership)).all() == [] and session.exec(select(OutgoingEmail)).all() == []


def test_an_unknown_provider_or_a_blocked_user_is_refused(session, world):
    with pytest.raises(DomainError) as unknown:
        staff.invite_staff(
            session=session, actor_id=world["admin"].id, email="ivan@example.com", role="operator",
            provider_ids=[999_999], now=NOW,
        )  # fmt: skip
    assert (unknown.value.code, unknown.value.field) == ("provider_not_found", "providers")
    world["resident"].is_blocked = True
    with pytest.raises(DomainError) as blocked:
        _invite(session, world, email="olga@example.com")
    assert (blocked.value.code, blocked.value.field) == ("staff_user_blocked", "email")


def test_invitations_keep_to_the_letter_limit(session, world):
    for minute in range(PER_ADDRESS_PER_HOUR):
        _invite(session, world, now=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(DomainError) as limited:
        _invite(session, world, now=NOW + dt.timedelta(minutes=10))
    assert (limited.value.code, limited.value.field) == ("staff_letter_limit", "email")
    assert len(_letters(session, "ivan@example.com")) == PER_ADDRESS_PER_HOUR


def test_changing_sets_the_role_and_exactly_the_chosen_providers(session, world):
    invited = _invite(session, world)
    member = staff.change_staff(
        session=session,
        actor_id=world["admin"].id,
        user_id=invited.user_id,
        role="viewer",
        provider_ids=[world["gas"].id],
        now=NOW,
    )
    assert (member.role, [p.id for p in member.providers]) == ("viewer", [world["gas"].id])
    scope = require_staff(session, invited.user_id)
    assert scope.visible_ids == {world["gas"].id} and scope.operated_ids == frozenset()
    (event,) = _events(session, "staff_changed")
    assert event.provider_id == world["gas"].id
    with pytest.raises(DomainError) as empty:
        staff.change_staff(
            session=session,
            actor_id=world["admin"].id,
            user_id=invited.user_id,
            role="viewer",
            provider_ids=[],
            now=NOW,
        )
    assert (empty.value.code, empty.value.field) == ("staff_providers_required", "providers")
    # A resident who is not staff, and an administrator, are not staff members to change.
    for other in (world["resident"].id, world["admin"].id, 999_999, "abc"):
        with pytest.raises(DomainError, match="not_found"):
            staff.change_staff(
                session=session, actor_id=world["admin"].id, user_id=other, role="viewer",
                provider_ids=[world["gas"].id], now=NOW,
            )  # fmt: skip


def test_blocking_ends_their_sessions_and_unblocking_lets_them_in(session, world):
    _invite(session, world, email="olga@example.com")
    olga = world["resident"]
    tokens = [sessions.start_session(session=session, user_id=olga.id, remember=r, now=NOW) for r in (True, False)]
    member = staff.set_staff_blocked(
        session=session, actor_id=world["admin"].id, user_id=olga.id, blocked=True, now=NOW
    )
    assert member.status == "blocked"
    assert all(sessions.signed_in(session=session, raw_token=token, now=NOW) is None for token in tokens)
    with pytest.raises(DomainError, match="not_found"):
        require_staff(session, olga.id)
    (event,) = _events(session, "staff_blocked")
    assert (event.provider_id, json.loads(event.details)["sessions_ended"]) == (world["water"].id, 2)
    member = staff.set_staff_blocked(
        session=session, actor_id=world["admin"].id, user_id=olga.id, blocked=False, now=NOW
    )
    assert member.status == "active" and require_staff(session, olga.id).visible_ids == {world["water"].id}
    assert len(_events(session, "staff_unblocked")) == 1


def test_blocking_an_invited_person_kills_their_link(session, world):
    invited = _invite(session, world)
    token = _token(_letters(session, "ivan@example.com")[0])
    staff.set_staff_blocked(session=session, actor_id=world["admin"].id, user_id=invited.user_id, blocked=True, now=NOW)
    with pytest.raises(DomainError, match="token_used"):
        staff.check_invitation(session=session, raw_token=token, now=NOW)


def test_removing_takes_the_admin_pages_away_and_keeps_the_resident(session, world):
    _invite(session, world, email="olga@example.com", providers=("water", "gas"))
    olga = world["resident"]
    assert (
        staff.remove_staff(session=session, actor_id=world["admin"].id, user_id=olga.id, now=NOW) == "olga@example.com"
    )
    with pytest.raises(DomainError, match="not_found"):
        require_staff(session, olga.id)
    assert auth.authenticate(session=session, email="olga@example.com", password="olga2026", now=NOW).id == olga.id
    (event,) = _events(session, "staff_removed")
    assert event.provider_id is None and json.loads(event.details)["providers"] == sorted(
        [world["water"].id, world["gas"].id]
    )
    emails = [m.email for m in staff.list_staff(session=session, actor_id=world["admin"].id).members]
    assert emails == ["chief@example.com"]


def test_the_list_shows_administrators_first_then_staff_with_their_status(session, world):
    _invite(session, world, email="olga@example.com", role="viewer")
    _invite(session, world, email="ivan@example.com", providers=("water", "gas"))
    page = staff.list_staff(session=session, actor_id=world["admin"].id)
    assert page.is_platform_admin and [p.name for p in page.providers] == ["МУП «Водоканал»", "ООО «Газ-Сервис»"]
    rows = [(m.email, m.role, m.status, m.is_self, [p.name for p in m.providers]) for m in page.members]
    assert rows == [
        ("chief@example.com", "admin", "active", True, []),
        ("ivan@example.com", "operator", "invited", False, ["МУП «Водоканал»", "ООО «Газ-Сервис»"]),
        ("olga@example.com", "viewer", "active", False, ["МУП «Водоканал»"]),
    ]


def test_provider_staff_see_only_their_own_card_and_may_change_nothing(session, world):
    _invite(session, world, email="olga@example.com")
    other = _invite(session, world, email="ivan@example.com")
    olga = world["resident"]
    page = staff.list_staff(session=session, actor_id=olga.id)
    assert not page.is_platform_admin and page.providers == []
    assert [(m.email, m.role, m.is_self) for m in page.members] == [("olga@example.com", "operator", True)]
    events = len(session.exec(select(AuditEvent)).all())
    refused = [
        lambda actor: staff.invite_staff(
            session=session, actor_id=actor, email="x@example.com", role="operator",
            provider_ids=[world["water"].id], now=NOW,
        ),
        lambda actor: staff.change_staff(
            session=session, actor_id=actor, user_id=other.user_id, role="viewer",
            provider_ids=[world["water"].id], now=NOW,
        ),
        lambda actor: staff.set_staff_blocked(
            session=session, actor_id=actor, user_id=other.user_id, blocked=True, now=NOW
        ),
        lambda actor: staff.remove_staff(session=session, actor_id=actor, user_id=other.user_id, now=NOW),
    ]  # fmt: skip
    for attempt in refused:
        for actor in (olga.id, make_user(session).id, None, 999_999):
            with pytest.raises(DomainError, match="not_found"):
                attempt(actor)
    with pytest.raises(DomainError, match="not_found"):
        staff.list_staff(session=session, actor_id=make_user(session).id)
    assert len(session.exec(select(AuditEvent)).all()) == events


def test_the_entries_own_their_transaction(app_database, session, world):
    session.commit()
    invited = staff.invite_staff(
        actor_id=world["admin"].id, email="ivan@example.com", role="operator", provider_ids=[world["water"].id], now=NOW
    )
    with Session(app_database) as other:
        (letter,) = _letters(other, "ivan@example.com")
    assert staff.accept_invitation.hashes_passwords
    token = staff.accept_invitation(raw_token=_token(letter), password="ivan2026", password_repeat="ivan2026", now=NOW)
    with Session(app_database) as other:
        assert sessions.signed_in(session=other, raw_token=token, now=NOW).user_id == invited.user_id
        assert other.get(User, invited.user_id).confirmed_at is not None


def test_the_command_line_entry_finds_providers_by_id_or_exact_name(session, world):
    invited = staff.invite_staff_from_cli(
        session=session,
        email="ivan@example.com",
        role="viewer",
        providers=[str(world["water"].id), "ООО «Газ-Сервис»"],
        now=NOW,
    )
    assert require_staff(session, invited.user_id).visible_ids == {world["water"].id, world["gas"].id}
    (event,) = _events(session, "staff_invited")
    assert event.actor_user_id is None
    with pytest.raises(DomainError) as unknown:
        staff.invite_staff_from_cli(session=session, email="x@example.com", role="viewer", providers=["Газ"], now=NOW)
    assert (unknown.value.code, unknown.value.params) == ("staff_provider_unknown", {"reference": "Газ"})
