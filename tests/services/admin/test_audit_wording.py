"""Every audit code the source records reads as a Russian sentence with names, roubles and units."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cabinet import texts
from cabinet.models import AuditEvent, MeterKind, PaymentStatus
from cabinet.services.admin.audit_wording import describe
from cabinet.services.audit import record_event
from tests.factories import NOW, make_account, make_meter, make_payment, make_provider, make_user

SOURCE = Path(__file__).resolve().parents[3] / "cabinet"
# Codes built at run time: the expression as written → every code it can give.
DYNAMIC = {
    "payment_{target.value}": {f"payment_{status.value}" for status in PaymentStatus},
    # What the gateway may settle a refund as: `failed` is ours and is never recorded as an event.
    "refund_{target.value}": {"refund_succeeded", "refund_canceled"},
}


def _codes(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body) | _codes(node.orelse)
    if isinstance(node, ast.JoinedStr):
        written = ast.unparse(node)[2:-1]
        assert written in DYNAMIC, f"a code built at run time the test does not know: {written}"
        return DYNAMIC[written]
    raise AssertionError(f"an action code the test cannot read: {ast.unparse(node)}")


def recorded_codes() -> dict[str, str]:
    """Every `record_event(action=...)` code in cabinet/, with where it is recorded."""
    found: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record_event"
            ):
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        for code in _codes(keyword.value):
                            found.setdefault(code, f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def test_every_recorded_code_has_russian_wording_and_a_group():
    codes = recorded_codes()
    assert len(codes) >= 35  # the scan found the calls (a broken scan must not pass quietly)
    missing = {code: where for code, where in codes.items() if code not in texts.AUDIT["events"]}
    assert not missing, f"audit codes without wording in cabinet/texts_audit.py: {missing}"
    grouped = [code for _label, group in texts.AUDIT["groups"].values() for code in group]
    assert sorted(grouped) == sorted(texts.AUDIT["events"]), "every worded code is in exactly one group"
    assert not set(texts.AUDIT["events"]) - set(codes), "wording for a code nothing records any more"


@pytest.fixture
def world(session):
    provider = make_provider(session, name="Водоканал Заречья")
    account = make_account(session, provider, number="3700123456")
    meter = make_meter(session, account, kind=MeterKind.hot_water, digits_fraction=3)
    resident = make_user(session, email="anna@example.com")
    resident.full_name = "Анна Петрова"
    admin = make_user(session, email="boss@example.com")
    payment = make_payment(session, resident, account, 123456)
    return {
        "provider": provider,
        "account": account,
        "meter": meter,
        "resident": resident,
        "admin": admin,
        "payment": payment,
    }


def _sentence(session, world, code: str, target: str = "", details: dict | None = None, provider: bool = False):
    kinds = {"provider": "provider", "account": "account", "meter": "meter", "payment": "payment", "user": "resident"}
    event = record_event(
        session=session,
        action=code,
        now=NOW,
        actor_user_id=world["resident"].id,
        target_type=target,
        target_id=world[kinds[target]].id if target else "",
        details=details,
        provider_id=world["provider"].id if provider else None,
    )
    session.flush()
    return describe(session, [event])[0]


P = "«Водоканал Заречья»"
CASES = {
    "sign_in": ("", None, "Вход в кабинет."),
    "email_change_requested": ("", {"new_email": "new@example.com"}, "Запрошена смена почты на new@example.com."),
    "email_changed": ("", {"before": "a@x.ru", "after": "b@x.ru"}, "Почта изменена: a@x.ru → b@x.ru."),
    "profile_updated": (
        "",
        {"before": {"full_name": "Анна", "phone": ""}, "after": {"full_name": "Анна Петрова", "phone": ""}},
        "Профиль изменён: имя: Анна → Анна Петрова.",
    ),
    "letter_limited": (
        "",
        {"kind": "reset", "limit": "address", "to": "x@example.com"},
        "Письмо на x@example.com не отправлено: слишком много писем на этот адрес за час.",
    ),
    "account_linked": ("account", None, f"Подключён лицевой счёт 3700123456 ({P})."),
    "account_unlinked": ("account", None, f"Отключён лицевой счёт 3700123456 ({P})."),
    "account_ownership_failed": ("account", None, f"Не пройдена проверка владельца лицевого счёта 3700123456 ({P})."),
    "payment_created": (
        "payment",
        {"amount": 123456},
        f"Создан платёж № {{id}} на 1\u00a0234,56\u00a0₽, ЛС 3700123456 ({P}).",
    ),
    "payment_succeeded": ("payment", None, f"Платёж № {{id}} на 1\u00a0234,56\u00a0₽ оплачен, ЛС 3700123456 ({P})."),
    "payment_canceled": ("payment", None, f"Платёж № {{id}} на 1\u00a0234,56\u00a0₽ отменён, ЛС 3700123456 ({P})."),
    "payment_checked_at_gateway": (
        "payment",
        {"status": "succeeded"},
        "Платёж № {id} на 1\u00a0234,56\u00a0₽ проверен в ЮKassa: статус «Оплачено».",
    ),
    # A refund's amount is its own, not the payment's; the account is the refunded part's.
    "refund_requested": (
        "payment",
        {"amount": 2500, "reason": "Оплачено дважды"},
        f"Запрошен возврат 25,00\u00a0₽ по платежу № {{id}}, ЛС 3700123456 ({P}). Причина: Оплачено дважды.",
    ),
    "refund_succeeded": (
        "payment",
        {"amount": 2500},
        f"Возврат 25,00\u00a0₽ по платежу № {{id}} выполнен, ЛС 3700123456 ({P}).",
    ),
    "refund_canceled": (
        "payment",
        {"amount": 2500},
        f"ЮKassa отклонила возврат 25,00\u00a0₽ по платежу № {{id}}, ЛС 3700123456 ({P}).",
    ),
    "reading_submitted": (
        "meter",
        {"value": 1500250, "period": "2026-11-01", "source": "manual"},
        f"Переданы показания за ноябрь 2026: Горячая вода — 1\u00a0500,250 м³, ЛС 3700123456 ({P}).",
    ),
    "readings_exported": (
        "provider",
        {"period": "2026-11-01", "readings": 12, "marked_sent": True},
        f"Выгружены показания за ноябрь 2026 ({P}): 12 шт.; отмечены как переданные поставщику.",
    ),
    "provider_updated": (
        "provider",
        {"changed": {"name": ["Водоканал", "Водоканал Заречья"], "hint_text": [None, "Вверху"]}},
        f"Изменён поставщик {P}: Подсказка: Вверху; Название: Водоканал → Водоканал Заречья.",
    ),
    "provider_deactivated": ("provider", None, f"Поставщик {P} отключён."),
    "registry_imported": (
        "provider",
        {"accounts_new": 3, "accounts_changed": 1, "accounts_unchanged": 0, "meters_new": 5, "meters_changed": 0},
        f"Загружен реестр {P}: новых ЛС 3, изменённых ЛС 1, новых счётчиков 5, изменённых счётчиков 0.",
    ),
    "image_uploaded": ("", {"content_type": "image/png", "size_bytes": 20480}, "Загружена картинка image/png, 20 КБ."),
    "user_blocked": ("user", {"sessions_ended": 2}, "Заблокирован житель anna@example.com; завершено сессий: 2."),
    "confirmation_resent": (
        "user",
        None,
        "Жителю anna@example.com повторно отправлено письмо для подтверждения почты.",
    ),
    "admin_created": ("user", None, "Создан администратор платформы anna@example.com."),
    "staff_invited": (
        "user",
        {"email": "anna@example.com", "role": "operator", "providers": ["{provider}"], "letter": "staff_invitation"},
        f"Приглашён сотрудник anna@example.com: оператор, {P}.",
    ),
    "staff_changed": (
        "user",
        {"role": "viewer", "providers": []},
        "Права сотрудника anna@example.com: наблюдатель, —.",
    ),
    "staff_blocked": ("user", {"sessions_ended": 1}, "Заблокирован сотрудник anna@example.com; завершено сессий: 1."),
    "staff_removed": (
        "user",
        {"providers": ["{provider}"]},
        f"Снят доступ сотрудника anna@example.com к поставщикам: {P}.",
    ),
    "staff_invitation_accepted": ("user", None, "Сотрудник anna@example.com принял приглашение и задал пароль."),
}


@pytest.mark.parametrize("code", CASES)
def test_each_code_reads_as_a_sentence_with_names(session, world, code):
    target, details, expected = CASES[code]
    if details and details.get("providers") == ["{provider}"]:
        details = {**details, "providers": [world["provider"].id]}
    described = _sentence(session, world, code, target, details)
    assert described.sentence == expected.format(id=world["payment"].id)
    assert described.label == texts.AUDIT["events"][code][0]
    assert described.who == "Анна Петрова (anna@example.com)"


def test_details_naming_a_provider_or_an_account(session, world):
    exported = _sentence(
        session, world, "payments_exported", "", {"provider": world["provider"].id, "status": "failed"}
    )
    assert exported.sentence == f"Выгружены платежи в CSV: {P}, Не создан."
    every = _sentence(session, world, "payments_exported", "", {"provider": None, "status": None})
    assert every.sentence == "Выгружены платежи в CSV: все поставщики, все статусы."
    question = _sentence(
        session,
        world,
        "support_question",
        "",
        {"topic": "payment", "account": world["account"].id, "to": "help@vodokanal.ru"},
        provider=True,
    )
    assert question.sentence == f"Вопрос в поддержку help@vodokanal.ru на тему «Оплата», ЛС 3700123456 ({P})."
    assert question.provider == P


def test_unknown_codes_lost_rows_and_odd_details_never_fail(session, world):
    old = AuditEvent(action="sso_login", created_at=NOW, details='{"via": "ldap", "ok": true}')
    broken = AuditEvent(
        action="account_linked", created_at=NOW, target_type="account", target_id="999999", details="oops"
    )
    text = AuditEvent(action="legacy", created_at=NOW, details="plain old text")
    session.add_all([old, broken, text])
    session.flush()
    first, second, third = describe(session, [old, broken, text])
    assert first.sentence == "Действие «sso_login»: via: ldap; ok: да."
    assert first.label == "Другое действие (sso_login)" and first.who == "без учётной записи"
    assert second.sentence == "Подключён лицевой счёт — (—)."
    assert third.sentence == "Действие «legacy»: plain old text."
    # A payment row that is gone still names its number.
    gone = _sentence(session, world, "payment_failed", "", None)
    assert gone.sentence.startswith("Платёж — на —")


def test_the_resident_events_carry_their_provider(session, world):
    """What the journal's scoping rests on: an event about an account or payment names its provider."""
    from cabinet.services.audit import account_provider

    assert account_provider(session, world["account"].id) == world["provider"].id
    assert account_provider(session, "nonsense") is None and account_provider(session, None) is None
    # An id no provider has is kept as no provider (the foreign key would refuse it).
    event = record_event(session=session, action="payments_exported", now=NOW, provider_id=999_999)
    session.flush()
    assert event.provider_id is None


def test_an_event_about_one_part_of_a_payment_names_that_parts_account(session, world):
    """A payment for several accounts is journaled per provider and per part: each line names its own account."""
    provider, resident = world["provider"], world["resident"]
    garage = make_account(session, provider, number="3700999999")
    other = make_provider(session, name="Энергосбыт")
    power = make_account(session, other, number="5500000001")
    payment = make_payment(session, resident, [world["account"], garage, power], [123456, 50000, 7000])
    lines = [
        ("payment_created", {"amount": 50000, "account": garage.id, "purpose": "debt", "parts": 3}, provider.id),
        ("refund_succeeded", {"amount": 2500, "account": garage.id, "refund": 1}, provider.id),
        ("payment_succeeded", None, other.id),
    ]
    events = [
        record_event(
            session=session,
            action=action,
            now=NOW,
            target_type="payment",
            target_id=payment.id,
            details=details,
            provider_id=provider_id,
        )
        for action, details, provider_id in lines
    ]
    session.flush()
    assert [described.sentence for described in describe(session, events)] == [
        f"Создан платёж № {payment.id} на 500,00\u00a0₽, ЛС 3700999999 ({P}).",
        f"Возврат 25,00\u00a0₽ по платежу № {payment.id} выполнен, ЛС 3700999999 ({P}).",
        f"Платёж № {payment.id} на 70,00\u00a0₽ оплачен, ЛС 5500000001 («Энергосбыт»).",
    ]
