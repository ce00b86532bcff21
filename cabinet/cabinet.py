"""The Reflex app: pages, and the HTTP routes mounted beside them."""

import reflex as rx


def index() -> rx.Component:
    return rx.heading("Кабинет", id="start-title")


app = rx.App()
app.add_page(index, route="/", title="Кабинет")
