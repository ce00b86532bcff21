"""Reflex configuration; every value comes from cabinet.config."""

import reflex as rx

from cabinet.config import get_settings
from cabinet.serving import respawn_crashed_workers

settings = get_settings()
respawn_crashed_workers()

config = rx.Config(
    app_name="cabinet",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="grass", gray_color="sage", radius="large")
        ),
    ],
)
