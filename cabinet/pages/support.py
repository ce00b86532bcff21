"""/support: the technical support address, «Задать вопрос» and answers to common questions."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell
from cabinet.components.questions import open_question_button
from cabinet.config import get_settings


def _answer(number: int, question: str, answer: str) -> rx.Component:
    return rx.vstack(
        rx.heading(question, size="4", as_="h3"),
        rx.text(answer, size="3", color=rx.color("gray", 12)),
        spacing="1",
        width="100%",
        id=f"support-answer-{number}",
    )


def _answers(answers: list[tuple[str, str]]) -> list[rx.Component]:
    """The answers, numbered from 1, a line between each two."""
    items: list[rx.Component] = []
    for number, (question, answer) in enumerate(answers, start=1):
        if items:
            items.append(rx.separator(size="4"))
        items.append(_answer(number, question, answer))
    return items


def _contact(support: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(texts.SUPPORT["contact_title"], size="4", as_="h2"),
            rx.text(texts.SUPPORT["contact_text"], size="3"),
            rx.link(
                rx.hstack(rx.icon("mail", size=18), rx.text(support), spacing="2", align="center"),
                href=f"mailto:{support}",
                size="4",
                weight="medium",
                id="support-email",
            ),
            rx.text(texts.SUPPORT["ask_text"], size="2", color=rx.color("gray", 11), padding_top="8px"),
            # The footer's dialog: it takes a contact address from anonymous visitors.
            open_question_button(id="support-ask"),
            spacing="2",
            align="start",
        ),
        size="3",
        width="100%",
    )


def support_page() -> rx.Component:
    settings = get_settings()
    answers = [
        (question, answer.format(min=settings.password_min_length, max=settings.password_max_length))
        for question, answer in texts.SUPPORT["answers"]
    ]
    return page_shell(
        rx.vstack(
            rx.heading(texts.SUPPORT["title"], size="6", as_="h1", id="support-title"),
            rx.text(texts.SUPPORT["lead"], size="3", color=rx.color("gray", 11)),
            _contact(settings.support_email),
            rx.card(
                rx.vstack(
                    rx.heading(texts.SUPPORT["answers_title"], size="5", as_="h2"),
                    *_answers(answers),
                    spacing="4",
                    width="100%",
                    id="support-answers",
                ),
                size="3",
                width="100%",
            ),
            spacing="4",
            max_width="760px",
            width="100%",
        )
    )
