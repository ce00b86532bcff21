"""The journal's Russian: a label and a sentence for every audit event code, its groups, filters and CSV.

Owned by cabinet.texts (re-exported there as AUDIT). A sentence's {placeholders} are filled by
services/admin/audit_wording.py with names, never ids: {provider} a provider's name, {account} an
account's number, {resident} a resident's e-mail, {payment} «№ 12», {amount} «1 234,56 ₽», {value}
a reading with its unit. A placeholder the event cannot fill reads «—»; an unknown code reads GENERIC.
"""

from __future__ import annotations

# Code → (short label for the filter and the table, sentence). Grouped by EVENT_GROUPS below.
EVENTS: dict[str, tuple[str, str]] = {
    # Вход и учётная запись
    "sign_in": ("Вход", "Вход в кабинет."),
    "sign_in_failed": ("Неудачный вход", "Неудачная попытка входа: неверная почта или пароль."),
    "sign_out": ("Выход", "Выход из кабинета."),
    "sign_up": ("Регистрация", "Регистрация в кабинете."),
    "sign_up_existing_address": (
        "Регистрация на занятую почту",
        "Попытка зарегистрироваться на уже занятую почту: владельцу отправлено письмо.",
    ),
    "email_confirmed": ("Почта подтверждена", "Адрес электронной почты подтверждён."),
    "password_reset_requested": ("Запрос сброса пароля", "Запрошено письмо для сброса пароля."),
    "password_reset": ("Пароль сброшен", "Пароль сброшен по ссылке из письма."),
    "password_changed": ("Пароль изменён", "Пароль изменён в настройках."),
    "email_change_requested": ("Запрос смены почты", "Запрошена смена почты на {new_email}."),
    "email_changed": ("Почта изменена", "Почта изменена: {before} → {after}."),
    "profile_updated": ("Профиль изменён", "Профиль изменён: {changes}."),
    "letter_limited": ("Письмо не отправлено", "Письмо на {to} не отправлено: {limit}."),
    "data_archive_requested": ("Архив данных", "Житель запросил архив своих данных."),
    "data_archive_downloaded": ("Архив скачан", "Архив данных жителя скачан по ссылке."),
    "cabinet_closing_refused": ("Закрытие: неверный пароль", "Попытка закрыть кабинет с неверным паролем."),
    "cabinet_closed": ("Кабинет закрыт", "Кабинет {resident} закрыт: {by}."),
    # Лицевые счета и вопросы
    "account_linked": ("ЛС подключён", "Подключён лицевой счёт {account} ({provider})."),
    "account_unlinked": ("ЛС отключён", "Отключён лицевой счёт {account} ({provider})."),
    "account_ownership_failed": (
        "Проверка владельца не пройдена",
        "Не пройдена проверка владельца лицевого счёта {account} ({provider}).",
    ),
    "support_question": ("Вопрос в поддержку", "Вопрос в поддержку {to} на тему «{topic}»{about}."),
    # Платежи
    "payment_created": ("Платёж создан", "Создан платёж {payment} на {amount}, ЛС {account} ({provider})."),
    "payment_pending": ("Платёж ждёт оплаты", "Платёж {payment} на {amount} ждёт оплаты, ЛС {account} ({provider})."),
    "payment_waiting_for_capture": (
        "Платёж подтверждается",
        "Платёж {payment} на {amount} подтверждается в ЮKassa, ЛС {account} ({provider}).",
    ),
    "payment_succeeded": ("Платёж оплачен", "Платёж {payment} на {amount} оплачен, ЛС {account} ({provider})."),
    "payment_canceled": ("Платёж отменён", "Платёж {payment} на {amount} отменён, ЛС {account} ({provider})."),
    "payment_failed": (
        "Платёж не создан",
        "Платёж {payment} на {amount} не создан в ЮKassa, ЛС {account} ({provider}).",
    ),
    "payment_checked_at_gateway": (
        "Проверка в ЮKassa",
        "Платёж {payment} на {amount} проверен в ЮKassa: статус «{status}».",
    ),
    "refund_requested": (
        "Возврат запрошен",
        "Запрошен возврат {amount} по платежу {payment}, ЛС {account} ({provider}). Причина: {reason}.",
    ),
    "refund_succeeded": (
        "Возврат выполнен",
        "Возврат {amount} по платежу {payment} выполнен, ЛС {account} ({provider}).",
    ),
    "refund_canceled": (
        "Возврат отклонён",
        "ЮKassa отклонила возврат {amount} по платежу {payment}, ЛС {account} ({provider}).",
    ),
    "payments_exported": ("Выгрузка платежей", "Выгружены платежи в CSV: {provider}, {status}."),
    # Показания
    "reading_submitted": (
        "Показания переданы",
        "Переданы показания за {period}: {meter} — {value}, ЛС {account} ({provider}).",
    ),
    "readings_exported": ("Выгрузка показаний", "Выгружены показания за {period} ({provider}): {readings}{marked}."),
    # Поставщики и реестр
    "provider_created": ("Поставщик добавлен", "Добавлен поставщик {provider}."),
    "provider_updated": ("Поставщик изменён", "Изменён поставщик {provider}: {changes}."),
    "provider_activated": ("Поставщик включён", "Поставщик {provider} включён."),
    "provider_deactivated": ("Поставщик отключён", "Поставщик {provider} отключён."),
    "registry_imported": (
        "Реестр загружен",
        "Загружен реестр {provider}: новых ЛС {accounts_new}, изменённых ЛС {accounts_changed}, "
        "новых счётчиков {meters_new}, изменённых счётчиков {meters_changed}.",
    ),
    "image_uploaded": ("Картинка загружена", "Загружена картинка {content_type}, {size}."),
    # Жители и сотрудники
    "user_blocked": ("Житель заблокирован", "Заблокирован житель {resident}; завершено сессий: {sessions_ended}."),
    "user_unblocked": ("Житель разблокирован", "Разблокирован житель {resident}."),
    "confirmation_resent": (
        "Письмо подтверждения",
        "Жителю {resident} повторно отправлено письмо для подтверждения почты.",
    ),
    "admin_created": ("Администратор создан", "Создан администратор платформы {resident}."),
    "staff_invited": ("Сотрудник приглашён", "Приглашён сотрудник {resident}: {role}, {providers}."),
    "staff_invitation_accepted": (
        "Приглашение принято",
        "Сотрудник {resident} принял приглашение и задал пароль.",
    ),
    "staff_changed": ("Права сотрудника изменены", "Права сотрудника {resident}: {role}, {providers}."),
    "staff_blocked": (
        "Сотрудник заблокирован",
        "Заблокирован сотрудник {resident}; завершено сессий: {sessions_ended}.",
    ),
    "staff_unblocked": ("Сотрудник разблокирован", "Разблокирован сотрудник {resident}."),
    "staff_removed": ("Доступ сотрудника снят", "Снят доступ сотрудника {resident} к поставщикам: {providers}."),
}

# Groups of the action filter, in the order shown: key → (label, codes).
EVENT_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "entry": (
        "Вход и учётная запись",
        (
            "sign_in",
            "sign_in_failed",
            "sign_out",
            "sign_up",
            "sign_up_existing_address",
            "email_confirmed",
            "password_reset_requested",
            "password_reset",
            "password_changed",
            "email_change_requested",
            "email_changed",
            "profile_updated",
            "letter_limited",
            "data_archive_requested",
            "data_archive_downloaded",
            "cabinet_closing_refused",
            "cabinet_closed",
        ),
    ),
    "accounts": (
        "Лицевые счета и вопросы",
        ("account_linked", "account_unlinked", "account_ownership_failed", "support_question"),
    ),
    "payments": (
        "Платежи",
        (
            "payment_created",
            "payment_pending",
            "payment_waiting_for_capture",
            "payment_succeeded",
            "payment_canceled",
            "payment_failed",
            "payment_checked_at_gateway",
            "refund_requested",
            "refund_succeeded",
            "refund_canceled",
            "payments_exported",
        ),
    ),
    "readings": ("Показания", ("reading_submitted", "readings_exported")),
    "providers": (
        "Поставщики и реестр",
        (
            "provider_created",
            "provider_updated",
            "provider_activated",
            "provider_deactivated",
            "registry_imported",
            "image_uploaded",
        ),
    ),
    "staff": (
        "Жители и сотрудники",
        (
            "user_blocked",
            "user_unblocked",
            "confirmation_resent",
            "admin_created",
            "staff_invited",
            "staff_invitation_accepted",
            "staff_changed",
            "staff_blocked",
            "staff_unblocked",
            "staff_removed",
        ),
    ),
}

AUDIT = {
    "events": EVENTS,
    "groups": EVENT_GROUPS,
    # An old or unknown code: its code and whatever details it kept.
    "generic": "Действие «{code}»{details}.",
    "generic_label": "Другое действие ({code})",
    "group_all": "{group}: все",
    "nobody": "без учётной записи",
    "closed_by": {"resident": "самим жителем", "administrator": "администратором по письменному заявлению"},
    # A switch's value in a change: «Напоминать …: нет → да».
    "yes": "да",
    "no": "нет",
    # letter_limited's limit: which one more letter would have broken.
    "letter_limits": {
        "address": "слишком много писем на этот адрес за час",
        "client": "слишком много писем с этого IP-адреса за час",
    },
    "who": "{name} ({email})",
    "all_providers": "все поставщики",
    "all_statuses": "все статусы",
    "no_provider": "—",
    "payment": "№ {id}",
    "readings_count": "{count} шт.",
    "readings_marked": "; отмечены как переданные поставщику",
    "about_account": ", ЛС {account} ({provider})",
    "size_kb": "{kb} КБ",
    "changes_none": "без изменений",
    "change": "{field}: {before} → {after}",
    "change_new": "{field}: {after}",
    "profile_fields": {"full_name": "имя", "phone": "телефон"},
    # The page.
    "filter_who": "Кто",
    "filter_who_hint": "E-mail или имя",
    "filter_action": "Действие",
    "filter_provider": "Поставщик",
    "filter_from": "С даты",
    "filter_to": "По дату",
    "apply": "Показать",
    "reset": "Сбросить",
    "all_actions": "Все действия",
    "all_providers_choice": "Все поставщики",
    "columns": ("Когда", "Кто", "Действие", "Поставщик", "Подробности"),
    "table": "Записи журнала",
    "empty": "Записей не найдено.",
    "found": "Записей: {count}",
    "page": "Страница {page} из {pages}",
    "previous": "Назад",
    "next": "Вперёд",
    "export": "Выгрузить CSV",
    "date_invalid": "Введите дату в виде ДД.ММ.ГГГГ.",
    "date_order": "Дата «по» раньше даты «с».",
    "csv_header": ("Когда", "Кто", "Действие", "Поставщик", "Подробности", "IP-адрес", "Код действия"),
}
