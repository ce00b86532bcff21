"""The staff check (#15): every admin operation × every kind of caller × own or foreign provider, the coverage of
that matrix, lists and totals that hold the scope's rows only; the upload guard's token check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import io
import pkgutil

import pytest
from sqlmodel import func, select

from cabinet.errors import DomainError
from cabinet.models import (
    AccountLink,
    AuditEvent,
    PaymentStatus,
    Provider,
    ProviderAccount,
    StaffMembership,
    StaffRole,
    UserRole,
)
from cabinet.services import images, providers, registry_uploads
from cabinet.services.access import is_operator_token
from cabinet.services.admin import (
    audit_log,
    overview,
    payment_detail,
    payments,
    readings_export,
    refunds,
    registry_help,
    registry_import,
    reminder_counts,
    residents,
    staff,
    staff_members,
)
from cabinet.services.provider_form import ProviderForm, ProviderInvalid, provider_form
from cabinet.services.sessions import end_session, start_session
from tests.factories import NOW, make_account, make_payment, make_provider, make_user, parts_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOVEMBER = dt.date(2026, 11, 1)
# One account of the `ids` provider (10-digit numbers), the registry's four required columns.
REGISTRY = "account;address;debt;as_of\r\n3700999001;г. Тестов, ул. Мира, д. 2;1200,50;2026-11-01\r\n".encode()
FORM = ProviderForm(
    name="ООО «Теплосеть»",
    inn="7707083893",
    account_pattern=r"\d{9}",
    account_format_description="9 цифр",
    account_example="123 456 789",
)

# Every function an admin page calls, with the arguments besides the actor that would succeed for an admin.
ADMIN_CALLS = {
    "overview": (overview.overview, lambda ids: dict(now=NOW)),
    "list_providers": (providers.list_providers, lambda ids: {}),
    "get_provider_for_admin": (providers.get_provider_for_admin, lambda ids: dict(provider_id=ids["provider"])),
    "edit_provider_form": (providers.edit_provider_form, lambda ids: dict(provider_id=ids["provider"])),
    "save_provider": (providers.save_provider, lambda ids: dict(provider_id=None, form=FORM, now=NOW)),
    "set_provider_active": (
        providers.set_provider_active,
        lambda ids: dict(provider_id=ids["provider"], active=False, now=NOW),
    ),
    "store_image": (images.store_image, lambda ids: dict(data=PNG, now=NOW)),
    "search_residents": (residents.search_residents, lambda ids: dict(query="")),
    "resident_detail": (residents.resident_detail, lambda ids: dict(user_id=ids["resident"], now=NOW)),
    "set_blocked": (residents.set_blocked, lambda ids: dict(user_id=ids["resident"], blocked=True, now=NOW)),
    "resend_confirmation_for": (
        residents.resend_confirmation_for,
        lambda ids: dict(user_id=ids["unconfirmed"], now=NOW),
    ),
    "close_on_request": (
        residents.close_on_request,
        lambda ids: dict(user_id=ids["unconfirmed"], reason="Заявление № 1 от 01.12.2026", now=NOW),
    ),
    "list_payments": (payments.list_payments, lambda ids: dict(filters=payments.PaymentFilter())),
    "payments_page": (payments.payments_page, lambda ids: dict(filters=payments.PaymentFilter())),
    "payment_detail": (payment_detail.payment_detail, lambda ids: dict(payment_id=ids["payment"])),
    "audit_log": (audit_log.audit_log, lambda ids: {}),
    "check_at_gateway": (payment_detail.check_at_gateway, lambda ids: dict(payment_id=ids["payment"], now=NOW)),
    "export_payments": (payments.export_payments, lambda ids: dict(filters=payments.PaymentFilter(), now=NOW)),
    "export_readings": (
        readings_export.export_readings,
        lambda ids: dict(provider_id=ids["provider"], period=NOVEMBER, mark_sent=True, now=NOW),
    ),
    "preview_registry": (
        registry_import.preview_registry,
        lambda ids: dict(provider_id=ids["provider"], source=io.BytesIO(REGISTRY)),
    ),
    "import_registry": (
        registry_import.import_registry,
        lambda ids: dict(provider_id=ids["provider"], source=io.BytesIO(REGISTRY), now=NOW),
    ),
}
# The entries among them: each owns its transaction when called without `session=`, as a State calls it.
ENTRIES = [name for name, (function, _arguments) in ADMIN_CALLS.items() if hasattr(function, "keeps_on")]


def _call(name: str, actor: int | None, ids: dict, **session) -> object:
    function, arguments = ADMIN_CALLS[name]
    return function(actor_id=actor, **arguments(ids), **session)


def _audit_count(session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


@pytest.mark.parametrize("name", ADMIN_CALLS)
def test_every_admin_operation_refuses_residents_and_anonymous(session, people, ids, name):
    events = _audit_count(session)
    for actor in (people["resident"].id, None, 0, 999_999):
        with pytest.raises(DomainError) as raised:
            _call(name, actor, ids, session=session)
        assert raised.value.code == "not_found"
    assert _audit_count(session) == events  # a refused call leaves no trace of having acted
    _call(name, people["admin"].id, ids, session=session)  # and works for an admin


@pytest.mark.parametrize("name", ENTRIES)
def test_every_admin_entry_refuses_and_acts_in_a_transaction_of_its_own(app_database, session, people, ids, name):
    session.commit()
    for actor in (people["resident"].id, None):
        with pytest.raises(DomainError, match="not_found"):
            _call(name, actor, ids)
    _call(name, people["admin"].id, ids)


def test_a_blocked_admin_is_refused(session, people, ids):
    people["admin"].is_blocked = True
    with pytest.raises(DomainError):
        overview.overview(session=session, actor_id=people["admin"].id, now=NOW)


def test_only_a_live_operator_session_may_upload(app_database, session, people):
    operator = start_session(session=session, user_id=people["admin"].id, remember=True, now=NOW)
    resident = start_session(session=session, user_id=people["resident"].id, remember=True, now=NOW)
    ended = start_session(session=session, user_id=make_user(session, role=UserRole.admin).id, remember=True, now=NOW)
    end_session(session=session, raw_token=ended, now=NOW)
    session.commit()
    assert is_operator_token(raw_token=operator, now=NOW) is True
    assert [is_operator_token(raw_token=token, now=NOW) for token in (resident, ended, "", "x" * 500)] == [False] * 4


# ---------------------------------------------------------------------------------------------------------------
# The role matrix (#15): every admin operation × every kind of caller × the caller's own provider or a foreign one.

ROLES = ("admin", "operator", "viewer", "resident", "anonymous", "blocked_staff")
SCOPES = ("own", "foreign")
BOTH = frozenset(SCOPES)
OWN = frozenset({"own"})
# Who gets an answer, and for which provider's objects; every other cell is «не найдено».
READS = {"admin": BOTH, "operator": OWN, "viewer": OWN}  # a provider's objects: its staff read them
CHANGES = {"admin": BOTH, "operator": OWN}  # a change: the provider's operator or the administrator
PLATFORM = {"admin": BOTH}  # providers themselves: the platform administrator only
LISTS = {"admin": BOTH, "operator": BOTH, "viewer": BOTH}  # scoped lists: a foreign filter finds nothing
UPLOADS = {"admin": BOTH, "operator": BOTH}  # a picture belongs to no provider until a form points at it


def _filter(world, scope):
    return payments.PaymentFilter(provider_id=world[scope]["provider"])


def _journal(world, scope):
    return audit_log.AuditQuery(provider=str(world[scope]["provider"]))


# name → (function, arguments for the objects of one scope, who may). The arguments besides the actor.
MATRIX = {
    "overview": (overview.overview, lambda w, s: dict(now=NOW), LISTS),
    "reminder_counts": (reminder_counts.reminder_counts, lambda w, s: dict(now=NOW), LISTS),
    "list_providers": (providers.list_providers, lambda w, s: {}, LISTS),
    "get_provider_for_admin": (
        providers.get_provider_for_admin,
        lambda w, s: dict(provider_id=w[s]["provider"]),
        READS,
    ),
    "edit_provider_form": (providers.edit_provider_form, lambda w, s: dict(provider_id=w[s]["provider"]), READS),
    "provider_editing": (providers.provider_editing, lambda w, s: dict(provider_id=w[s]["provider"]), READS),
    "create_provider": (providers.save_provider, lambda w, s: dict(provider_id=None, form=FORM, now=NOW), PLATFORM),
    "save_provider": (
        providers.save_provider,
        lambda w, s: dict(provider_id=w[s]["provider"], form=w[s]["form"], now=NOW),
        CHANGES,
    ),
    "set_provider_active": (
        providers.set_provider_active,
        lambda w, s: dict(provider_id=w[s]["provider"], active=False, now=NOW),
        PLATFORM,
    ),
    "store_image": (images.store_image, lambda w, s: dict(data=PNG, now=NOW), UPLOADS),
    "search_residents": (residents.search_residents, lambda w, s: dict(query=w[s]["resident_email"]), LISTS),
    "resident_detail": (
        residents.resident_detail,
        lambda w, s: dict(user_id=w[s]["resident"], now=NOW),
        READS,
    ),
    "set_blocked": (
        residents.set_blocked,
        lambda w, s: dict(user_id=w[s]["resident"], blocked=True, now=NOW),
        CHANGES,
    ),
    "resend_confirmation_for": (
        residents.resend_confirmation_for,
        lambda w, s: dict(user_id=w[s]["unconfirmed"], now=NOW),
        CHANGES,
    ),
    "close_on_request": (
        residents.close_on_request,
        lambda w, s: dict(user_id=w[s]["unconfirmed"], reason="Заявление № 1 от 01.12.2026", now=NOW),
        PLATFORM,
    ),
    "list_payments": (payments.list_payments, lambda w, s: dict(filters=_filter(w, s)), LISTS),
    "payments_page": (payments.payments_page, lambda w, s: dict(filters=_filter(w, s)), LISTS),
    "payment_detail": (payment_detail.payment_detail, lambda w, s: dict(payment_id=w[s]["payment"]), READS),
    "check_at_gateway": (
        payment_detail.check_at_gateway,
        lambda w, s: dict(payment_id=w[s]["payment"], now=NOW),
        CHANGES,
    ),
    # With `session=` it writes the pending refund only: the gateway is never asked from the matrix.
    "refund_part": (
        refunds.refund_part,
        lambda w, s: dict(
            payment_id=w[s]["payment"],
            part_id=w[s]["part"],
            amount_text="5,00",
            reason="Оплачено дважды",
            request_key=f"refund-{s}",
            now=NOW,
        ),
        CHANGES,
    ),
    "export_payments": (payments.export_payments, lambda w, s: dict(filters=_filter(w, s), now=NOW), LISTS),
    "export_readings": (
        readings_export.export_readings,
        lambda w, s: dict(provider_id=w[s]["provider"], period=NOVEMBER, mark_sent=False, now=NOW),
        READS,
    ),
    "export_readings_marking_sent": (
        readings_export.export_readings,
        lambda w, s: dict(provider_id=w[s]["provider"], period=NOVEMBER, mark_sent=True, now=NOW),
        CHANGES,
    ),
    "preview_registry": (
        registry_import.preview_registry,
        lambda w, s: dict(provider_id=w[s]["provider"], source=io.BytesIO(REGISTRY)),
        CHANGES,
    ),
    "import_registry": (
        registry_import.import_registry,
        lambda w, s: dict(provider_id=w[s]["provider"], source=io.BytesIO(REGISTRY), now=NOW),
        CHANGES,
    ),
    "check_registry_upload": (
        registry_uploads.check_registry_upload,
        lambda w, s: dict(provider_id=w[s]["provider"], upload=io.BytesIO(REGISTRY), replacing="", folder=w["folder"]),
        CHANGES,
    ),
}
MATRIX |= {
    "audit_log": (audit_log.audit_log, lambda w, s: dict(query=_journal(w, s)), LISTS),
    "export_audit_log": (audit_log.export_audit_log, lambda w, s: dict(query=_journal(w, s)), LISTS),
    "registry_format": (
        registry_help.registry_format,
        lambda w, s: dict(provider_id=w[s]["provider"], now=NOW),
        READS,
    ),
    "registry_sample": (
        registry_help.registry_sample,
        lambda w, s: dict(provider_id=w[s]["provider"], now=NOW),
        READS,
    ),
    # Provider staff see only their own card; every change of staff is the platform administrator's.
    "list_staff": (staff_members.list_staff, lambda w, s: {}, LISTS),
    "invite_staff": (
        staff.invite_staff,
        lambda w, s: dict(email=f"invited-{s}@example.com", role="viewer", provider_ids=[w[s]["provider"]], now=NOW),
        PLATFORM,
    ),
    "change_staff": (
        staff.change_staff,
        lambda w, s: dict(user_id=w[s]["staff"], role="operator", provider_ids=[w[s]["provider"]], now=NOW),
        PLATFORM,
    ),
    "set_staff_blocked": (
        staff.set_staff_blocked,
        lambda w, s: dict(user_id=w[s]["staff"], blocked=True, now=NOW),
        PLATFORM,
    ),
    "remove_staff": (staff.remove_staff, lambda w, s: dict(user_id=w[s]["staff"], now=NOW), PLATFORM),
}
# Entries that open their own transaction only (no `session=`): the same matrix, run against the app's database.
ENTRY_ONLY = {"import_registry_upload": (registry_uploads.import_registry_upload, CHANGES)}
# Where the admin pages' operations live: every public function there that takes `actor_id` must be in the matrix.
ADMIN_PACKAGE = importlib.import_module("cabinet.services.admin")
ADMIN_MODULES = (
    *(
        importlib.import_module(f"{ADMIN_PACKAGE.__name__}.{info.name}")
        for info in pkgutil.iter_modules(ADMIN_PACKAGE.__path__)
    ),
    providers,
    images,
    registry_uploads,
)


def _expected(allowed: dict, role: str, scope: str) -> bool:
    return scope in allowed.get(role, frozenset())


def _actors(world, role: str) -> list[int | None]:
    """The ids a role calls with: an anonymous caller is no id, 0, and an id nobody has."""
    return [None, 0, 999_999] if role == "anonymous" else [world["actors"][role]]


def _staff_member(session, provider_id: int) -> int:
    """A viewer of one provider: whom the staff operations of that scope change."""
    member = make_user(session)
    session.add(StaffMembership(user_id=member.id, provider_id=provider_id, role=StaffRole.viewer, created_at=NOW))
    session.flush()
    return member.id


@pytest.fixture
def world(session, tmp_path):
    """Two providers alike — «own» with its operator, viewer and a blocked operator, and a «foreign» one —
    each with an account, a linked resident who paid once, and a linked resident not yet confirmed."""
    built: dict = {"folder": tmp_path}
    for scope in SCOPES:
        provider = make_provider(session)
        account = make_account(session, provider)
        resident = make_user(session)
        unconfirmed = make_user(session, confirmed=False)
        for user in (resident, unconfirmed):
            session.add(AccountLink(user_id=user.id, account_id=account.id))
        payment = make_payment(
            session,
            resident,
            account,
            1000 if scope == "own" else 7000,
            status=PaymentStatus.succeeded,
            idempotency_key=f"k-{scope}",
            gateway_payment_id=f"gw-{scope}",
        )
        built[scope] = {
            "provider": provider.id,
            "provider_name": provider.name,
            "account": account.number,
            "resident": resident.id,
            "resident_email": resident.email,
            "unconfirmed": unconfirmed.id,
            "payment": payment.id,
            "part": parts_of(session, payment)[0].id,
            "form": provider_form(provider),
            "staff": _staff_member(session, provider.id),
        }
    own = built["own"]["provider"]
    operator, viewer = make_user(session, role=UserRole.resident), make_user(session)
    blocked = make_user(session, blocked=True)
    for user, role in ((operator, StaffRole.operator), (viewer, StaffRole.viewer), (blocked, StaffRole.operator)):
        session.add(StaffMembership(user_id=user.id, provider_id=own, role=role, created_at=NOW))
    session.flush()
    built["actors"] = {
        "admin": make_user(session, role=UserRole.admin).id,
        "operator": operator.id,
        "viewer": viewer.id,
        "resident": built["own"]["resident"],  # a resident of the very provider, signed in
        "anonymous": None,
        "blocked_staff": blocked.id,
    }
    return built


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", MATRIX)
def test_role_matrix(session, world, name, role, scope):
    function, arguments, allowed = MATRIX[name]
    if _expected(allowed, role, scope):
        function(session=session, actor_id=world["actors"][role], **arguments(world, scope))
        return
    events = _audit_count(session)
    for actor in _actors(world, role):
        with pytest.raises(DomainError) as raised:
            function(session=session, actor_id=actor, **arguments(world, scope))
        assert raised.value.code == "not_found", (name, role, scope, actor)
    assert _audit_count(session) == events  # a refused call leaves no trace of having acted


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ENTRY_ONLY)
def test_role_matrix_of_entries_without_a_session(app_database, session, world, name, role, scope):
    function, allowed = ENTRY_ONLY[name]
    session.commit()
    folder = world["folder"]
    for actor in _actors(world, role):
        upload = registry_uploads.save_registry_upload(io.BytesIO(REGISTRY), max_bytes=1 << 20, folder=folder)
        call = dict(actor_id=actor, provider_id=world[scope]["provider"], name=upload, now=NOW, folder=folder)
        if _expected(allowed, role, scope):
            assert function(**call).error_count == 0
            continue
        with pytest.raises(DomainError, match="not_found"):
            function(**call)


def test_the_matrix_covers_every_admin_operation():
    """A new public admin function taking `actor_id` fails here until its row is in MATRIX (or ENTRY_ONLY)."""
    covered = {function for function, *_rest in MATRIX.values()} | {f for f, _a in ENTRY_ONLY.values()}
    found = {
        function
        for module in ADMIN_MODULES
        for name, function in vars(module).items()
        if inspect.isfunction(function)
        and not name.startswith("_")
        and function.__module__ == module.__name__
        and "actor_id" in inspect.signature(function).parameters
    }
    assert found - covered == set()
    assert len(MATRIX) * len(ROLES) * len(SCOPES) + len(ENTRY_ONLY) * len(ROLES) * len(SCOPES) == MATRIX_CELLS


# The size the closing note gives: operations × roles × scopes.
MATRIX_CELLS = 36 * 6 * 2


# What an operator is shown never includes a foreign provider's row.


def test_an_operators_lists_and_totals_hold_their_provider_only(session, world):
    actor, own, foreign = world["actors"]["operator"], world["own"], world["foreign"]
    rows = providers.list_providers(session=session, actor_id=actor)
    assert [(row.id, row.may_change) for row in rows] == [(own["provider"], True)]
    everything = payments.list_payments(session=session, actor_id=actor, filters=payments.PaymentFilter())
    assert [row.id for row in everything.rows] == [own["payment"]]
    assert (everything.count, everything.total_kopecks) == (1, 1000)
    page = payments.payments_page(session=session, actor_id=actor, filters=_filter(world, "foreign"))
    assert (page.payments.rows, page.payments.count, page.payments.total_kopecks) == ([], 0, 0)
    assert [row.id for row in page.providers] == [own["provider"]]
    found = residents.search_residents(session=session, actor_id=actor, query="")
    assert {row.id for row in found} == {own["resident"], own["unconfirmed"]}
    assert residents.search_residents(session=session, actor_id=actor, query=foreign["account"]) == []


def test_an_operators_exports_and_overview_hold_their_provider_only(session, world):
    actor, own, foreign = world["actors"]["operator"], world["own"], world["foreign"]
    csv = payments.export_payments(session=session, actor_id=actor, filters=payments.PaymentFilter(), now=NOW)
    text = csv.decode("utf-8-sig")
    assert own["account"] in text and foreign["account"] not in text and foreign["provider_name"] not in text
    only_foreign = payments.export_payments(session=session, actor_id=actor, filters=_filter(world, "foreign"), now=NOW)
    assert len(only_foreign.decode("utf-8-sig").strip().splitlines()) == 1  # the header alone
    summary = overview.overview(session=session, actor_id=actor, now=NOW)
    assert (summary.residents, summary.linked_accounts, summary.payments_month, summary.paid_month_kopecks) == (
        2,
        2,
        1,
        1000,
    )
    assert summary.outbox_shown is False
    everyone = overview.overview(session=session, actor_id=world["actors"]["admin"], now=NOW)
    assert (everyone.payments_month, everyone.paid_month_kopecks, everyone.outbox_shown) == (2, 8000, True)


def test_a_resident_of_two_providers_shows_an_operator_only_their_side(session, world):
    own, foreign = world["own"], world["foreign"]
    shared = make_user(session)
    for scope in SCOPES:
        account = make_account(session, session.get(Provider, world[scope]["provider"]))
        session.add(AccountLink(user_id=shared.id, account_id=account.id))
        make_payment(session, shared, account, 500, idempotency_key=f"k-shared-{scope}")
    detail = residents.resident_detail(session=session, actor_id=world["actors"]["viewer"], user_id=shared.id, now=NOW)
    assert [link.provider for link in detail.links] == [own["provider_name"]]
    assert len(detail.payments) == 1
    admin_view = residents.resident_detail(
        session=session, actor_id=world["actors"]["admin"], user_id=shared.id, now=NOW
    )
    assert {link.provider for link in admin_view.links} == {own["provider_name"], foreign["provider_name"]}


def test_an_operator_may_not_rename_their_provider_nor_block_staff(session, world):
    actor, own = world["actors"]["operator"], world["own"]
    renamed = dataclasses.replace(own["form"], name="ООО «Другое»")
    with pytest.raises(ProviderInvalid) as refused:
        providers.save_provider(session=session, actor_id=actor, provider_id=own["provider"], form=renamed, now=NOW)
    assert set(refused.value.errors) == {"name"}
    assert session.get(Provider, own["provider"]).name == own["provider_name"]
    changed = dataclasses.replace(own["form"], account_format_description="10 цифр подряд")
    providers.save_provider(session=session, actor_id=actor, provider_id=own["provider"], form=changed, now=NOW)
    assert session.get(Provider, own["provider"]).account_format_description == "10 цифр подряд"
    # The viewer is linked to nothing, and staff are the platform administrator's to block.
    session.add(AccountLink(user_id=world["actors"]["viewer"], account_id=_account_of(session, own["provider"])))
    session.flush()
    with pytest.raises(DomainError, match="not_found"):
        residents.set_blocked(session=session, actor_id=actor, user_id=world["actors"]["viewer"], blocked=True, now=NOW)


def _account_of(session, provider_id: int) -> int:
    return session.exec(select(ProviderAccount.id).where(ProviderAccount.provider_id == provider_id)).first()


def test_the_upload_guard_lets_in_staff_who_may_change_something(app_database, session, world):
    """A picture or a registry is only ever sent by someone who may save it: an operator yes, a viewer no."""
    tokens = {
        role: start_session(session=session, user_id=world["actors"][role], remember=True, now=NOW)
        for role in ("admin", "operator", "viewer", "resident")
    }
    session.commit()
    assert {role: is_operator_token(raw_token=token, now=NOW) for role, token in tokens.items()} == {
        "admin": True,
        "operator": True,
        "viewer": False,
        "resident": False,
    }
