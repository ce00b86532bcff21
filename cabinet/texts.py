"""Every Russian string a person sees: page text, hints, e-mail subjects, error messages.

Kept in one module so it can be reviewed and translated in one place. Code refers to
entries by key; services raise DomainError(code) and pages show ERRORS[code].
"""

from __future__ import annotations

PRODUCT_NAME = "Кабинет"
PRODUCT_TAGLINE = "Личный кабинет клиента: счета ЖКХ, оплата и показания счётчиков"

DEMO_BADGE = "Демо-режим"
DEMO_BADGE_HINT = (
    "Платежи и письма не уходят наружу: их принимают встроенные тренажёры "
    "ЮKassa и почты. Письма видны в «Демо-почте»."
)

# --- start page ----------------------------------------------------------------

START = {
    "title": "Личный кабинет клиента",
    "lead": (
        "Подключите лицевые счета от всех поставщиков услуг, смотрите, сколько нужно "
        "заплатить, оплачивайте онлайн и передавайте показания счётчиков — в одном месте."
    ),
    "steps_title": "Как начать",
    "steps": [
        (
            "Регистрация",
            "Укажите адрес электронной почты — он станет вашим логином — и придумайте "
            "пароль из латинских букв и цифр.",
        ),
        (
            "Подтверждение",
            "Перейдите по ссылке из письма, которое придёт на указанный адрес.",
        ),
        (
            "Подключение лицевых счетов",
            "Выберите поставщика услуг и введите номер лицевого счёта, указанный в квитанции.",
        ),
        (
            "Оплата и показания",
            "Оплачивайте текущий долг или свою сумму и передавайте показания счётчиков "
            "при оплате.",
        ),
    ],
    "providers_title": "Поставщики услуг",
    "providers_lead": "К кабинету можно подключить лицевые счета этих поставщиков.",
    "providers_empty": "Поставщики услуг пока не подключены к кабинету.",
    "account_format": "Номер лицевого счёта",
    "account_example": "Например",
    "receipt_summary": "Где найти номер в квитанции",
    "receipt_alt": "Образец квитанции: номер лицевого счёта выделен рамкой",
    "support_title": "Остались вопросы?",
    "support_text": "Напишите в службу технической поддержки личного кабинета:",
}

FOOTER = {
    "support": "Служба поддержки",
    "mailbox": "Демо-почта",
}

NOT_FOUND = {
    "title": "Страница не найдена",
    "text": "Такой страницы нет или она вам недоступна. Проверьте адрес.",
    "home": "На главную",
}

# --- error codes -> messages -------------------------------------------------------

ERRORS: dict[str, str] = {
    "amount_format": "Введите сумму в рублях, например 1500 или 1500,50.",
    "unexpected": "Что-то пошло не так. Попробуйте ещё раз через минуту.",
}


def error_text(code: str, **params: object) -> str:
    """The Russian message for an error code; an unknown code gets the generic one."""
    template = ERRORS.get(code, ERRORS["unexpected"])
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
