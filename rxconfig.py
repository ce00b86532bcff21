"""Reflex configuration (every value comes from cabinet.config), and the patch the `reflex run` process needs."""

import reflex as rx

from cabinet.config import ConfigError, get_settings
from cabinet.patches import respawn_crashed_workers

settings = get_settings()
respawn_crashed_workers()

config = rx.Config(
    app_name="cabinet",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    # Reflex answers CORS with credentials: only the cabinet's own pages may call the backend and
    # open its socket, never another site a resident happens to visit.
    cors_allowed_origins=settings.allowed_origins,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="grass", gray_color="sage", radius="large")),
    ],
)

if config.trusted_proxy_hops:
    # cabinet/api/proxies.py already took the resident's address from X-Forwarded-For (TRUSTED_PROXIES);
    # Reflex counting hops again would take an address the resident wrote.
    raise ConfigError(
        "Configuration error: REFLEX_TRUSTED_PROXY_HOPS: leave it unset; list the proxies in TRUSTED_PROXIES"
    )
