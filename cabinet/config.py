"""The one validated settings object, read from the environment and an optional `.env`."""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CABINET_DATA_DIR", PROJECT_ROOT / "data"))

# Values people copy from examples; a real deployment must never run with them.
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "test", "example", "xxx"}

# YooKassa's published notification sources (https://yookassa.ru/developers/using-api/webhooks).
YOOKASSA_NOTIFICATION_NETWORKS = (
    "185.71.76.0/27",
    "185.71.77.0/27",
    "77.75.153.0/25",
    "77.75.156.11/32",
    "77.75.156.35/32",
    "77.75.154.128/25",
    "2a02:5180::/32",
)


class ConfigError(SystemExit):
    """Start-up refused because a setting is wrong; carries one printable line."""


class Settings(BaseSettings):
    """Everything the cabinet can be told from outside; names match the environment."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = f"sqlite:///{DATA_DIR / 'cabinet.db'}"
    redis_url: str | None = None
    public_url: str = "http://localhost:3000"
    secret_key: str | None = None

    resend_api_key: str | None = None
    resend_api_url: str | None = None
    mail_from: str = "Кабинет <noreply@xn--80ahmohdapg.xn--80asehdb>"
    support_email: str = "support@смородина.онлайн"

    yookassa_shop_id: str | None = None
    yookassa_secret_key: str | None = None
    yookassa_api_url: str | None = None
    yookassa_allowed_networks: Annotated[tuple[str, ...], NoDecode] = YOOKASSA_NOTIFICATION_NETWORKS

    password_min_length: int = Field(default=5, ge=1, le=128)
    password_max_length: int = Field(default=10, ge=1, le=128)
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    max_payment_kopecks: int = Field(default=50_000_000, ge=100)
    reconcile_after_minutes: int = Field(default=10, ge=1, le=1440)
    # The largest registry CSV taken, uploaded or from the command line; about 6 000 rows a megabyte.
    # A registry is streamed from disk, so the bound is about disk and import time, not memory.
    registry_max_mb: int = Field(default=256, ge=1, le=4096)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("expected sqlite:///path or postgresql+psycopg://user@host:port/db")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("expected redis://host:port/db")
        return value

    @field_validator("public_url", "resend_api_url", "yookassa_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// address")
        return value.rstrip("/")

    @field_validator("yookassa_allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("yookassa_allowed_networks")
    @classmethod
    def _valid_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        import ipaddress

        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as error:
                raise ValueError(f"{network!r} is not an address or network") from error
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.password_min_length > self.password_max_length:
            raise ValueError(
                "PASSWORD_MIN_LENGTH must not exceed PASSWORD_MAX_LENGTH"
            )
        if bool(self.yookassa_shop_id) != bool(self.yookassa_secret_key):
            raise ValueError("set both YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY, or neither")
        if not self.demo_mode and (self.secret_key or "").lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "SECRET_KEY must be set to a long random value when real credentials are used"
            )
        return self

    @property
    def registry_max_bytes(self) -> int:
        return self.registry_max_mb * 1024 * 1024

    @property
    def payments_sandbox(self) -> bool:
        """No shop credentials: payments go to the local YooKassa stand-in."""
        return not self.yookassa_shop_id

    @property
    def mail_sandbox(self) -> bool:
        """No Resend key: letters go to the local Resend stand-in."""
        return not self.resend_api_key

    @property
    def demo_mode(self) -> bool:
        """Any stand-in is in use: pages show the «Демо-режим» badge."""
        return self.payments_sandbox or self.mail_sandbox

    @property
    def yookassa_base_url(self) -> str:
        if self.yookassa_api_url:
            return self.yookassa_api_url
        if self.payments_sandbox:
            return f"{self.public_url}/sandbox/yookassa/v3"
        return "https://api.yookassa.ru/v3"

    @property
    def resend_base_url(self) -> str:
        if self.resend_api_url:
            return self.resend_api_url
        if self.mail_sandbox:
            return f"{self.public_url}/sandbox/resend"
        return "https://api.resend.com"

    @property
    def effective_secret_key(self) -> str:
        """SECRET_KEY, or one generated on first start and kept under data/."""
        if self.secret_key:
            return self.secret_key
        return _generated_secret_key()


@functools.cache
def _generated_secret_key() -> str:
    """The key generated on first start and kept in data/secret_key (SECRET_KEY unset)."""
    # Cached: a registry import hashes every PIN with it, and reading the file each time cost more
    # than the hashing. The file only ever holds its first key, so the cached one cannot go stale;
    # `_generated_secret_key.cache_clear()` makes the next call read the file again.
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two workers start at once, the first one's key wins for both.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    name = "_".join(str(part) for part in first.get("loc", ())).upper()
    message = first.get("msg", "invalid value").removeprefix("Value error, ")
    if name:
        return f"Configuration error: {name}: {message}"
    return f"Configuration error: {message}"


def load_settings(**overrides: object) -> Settings:
    """Build settings; a bad value raises ConfigError with one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None


@functools.cache
def get_settings() -> Settings:
    return load_settings()


def ensure_data_dir() -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
