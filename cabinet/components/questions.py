"""«Задать вопрос»: the button in every page's footer and its dialog."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, select_field
from cabinet.components.hint import with_hint
from cabinet.config import get_settings
from cabinet.state.questions import QuestionState


def _error(field: str) -> rx.Component:
    return rx.cond(
        QuestionState.errors.contains(field),
        rx.text(
            QuestionState.errors[field], size="2", color=rx.color("red", 11), id=f"question-{field}-error", role="alert"
        ),
    )


def _labelled(label: str, control: rx.Component, field: str, help_text: str = "") -> rx.Component:
    return rx.vstack(
        rx.el.label(
            rx.text(label, size="2", weight="medium"), html_for=f"question-{field}", id=f"question-{field}-label"
        ),
        control,
        rx.text(help_text, size="1", color=rx.color("gray", 11)) if help_text else rx.fragment(),
        _error(field),
        spacing="1",
        width="100%",
    )


def _who_asks() -> rx.Component:
    """A resident with several accounts says which one; a visitor leaves an address for the answer."""
    return rx.cond(
        QuestionState.signed_in,
        rx.cond(
            QuestionState.accounts.length() > 1,
            _labelled(
                texts.QUESTIONS["account"],
                select_field(
                    QuestionState.accounts, QuestionState.account, QuestionState.set_account, id="question-account"
                ),
                "account",
                texts.QUESTIONS["account_help"],
            ),
        ),
        _labelled(
            texts.QUESTIONS["email"],
            rx.input(
                value=QuestionState.email,
                on_change=QuestionState.set_email,
                id="question-email",
                type="email",
                auto_complete="email",
                width="100%",
            ),
            "email",
            texts.QUESTIONS["email_help"],
        ),
    )


def _buttons() -> rx.Component:
    return rx.flex(
        rx.dialog.close(rx.button(texts.QUESTIONS["close"], variant="soft", color_scheme="gray", id="question-close")),
        rx.button(
            rx.icon("send", size=16),
            texts.QUESTIONS["send"],
            on_click=QuestionState.send,
            loading=QuestionState.busy,
            id="question-send",
        ),
        justify="end",
        spacing="3",
        width="100%",
    )


def _form() -> rx.Component:
    support = get_settings().support_email
    return rx.vstack(
        rx.text(
            texts.QUESTIONS["lead"],
            " ",
            rx.link(support, href=f"mailto:{support}", id="question-mailto"),
            size="2",
            color=rx.color("gray", 11),
        ),
        _labelled(
            texts.QUESTIONS["topic"],
            select_field(QuestionState.topics, QuestionState.topic, QuestionState.set_topic, id="question-topic"),
            "topic",
        ),
        _who_asks(),
        _labelled(
            texts.QUESTIONS["message"],
            rx.text_area(
                value=QuestionState.message,
                on_change=QuestionState.set_message,
                id="question-message",
                rows="5",
                width="100%",
            ),
            "message",
        ),
        rx.text(QuestionState.counter, size="1", color=rx.color("gray", 11), align="right", width="100%"),
        _buttons(),
        spacing="3",
        width="100%",
    )


def _sent() -> rx.Component:
    return rx.vstack(
        form_alert(QuestionState.sent, id="question-sent", color="grass", icon="circle-check"),
        rx.flex(
            rx.button(
                texts.QUESTIONS["send"], variant="soft", on_click=QuestionState.write_another, id="question-another"
            ),
            rx.dialog.close(rx.button(texts.QUESTIONS["close"], id="question-done")),
            justify="end",
            spacing="3",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def open_question_button(*, id: str) -> rx.Component:
    """«Задать вопрос»: opens the footer's question dialog, from wherever it stands."""
    return rx.button(
        rx.icon("message-circle-question", size=16),
        texts.QUESTIONS["open"],
        variant="soft",
        size="2",
        on_click=QuestionState.open_dialog,
        id=id,
    )


def ask_question_button() -> rx.Component:
    return rx.dialog.root(
        with_hint(open_question_button(id="question-open"), texts.QUESTIONS["open_hint"]),
        rx.dialog.content(
            rx.dialog.title(texts.QUESTIONS["title"], custom_attrs={"as": "h2"}),
            rx.cond(QuestionState.sent != "", _sent(), _form()),
            max_width="520px",
            id="question-dialog",
        ),
        open=QuestionState.is_open,
        on_open_change=QuestionState.set_open,
    )
