"""The one validated settings object, read from the environment and an optional `.env`."""

from __future__ import annotations

import functools
import ipaddress
import re
import urllib.parse
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cabinet.secret_key import generated_secret_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

# Values people copy from examples; a real deployment must never run with them.
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "test", "example", "xxx"}
# HMAC keys for PINs and more: shorter than 256 bits of base64 text is guessable or a placeholder.
SECRET_KEY_MIN_LENGTH = 32
# The credentials of the real services; all of them set, or none (demo mode).
REAL_SERVICE_VARIABLES = ("YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY", "RESEND_API_KEY")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK_TWINS = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}
_HOST_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")

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

    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore")

    # The SQLite file, the generated secret key and registry uploads; a relative path is taken from the
    # project folder, whichever folder the command was started in.
    cabinet_data_dir: Path = DEFAULT_DATA_DIR
    # Declared after cabinet_data_dir: the default SQLite file lives in that folder.
    database_url: str = Field(
        default_factory=lambda data: f"sqlite:///{data.get('cabinet_data_dir', DEFAULT_DATA_DIR) / 'cabinet.db'}"
    )
    # PostgreSQL connections each backend worker may hold: a pool kept open and a burst beyond it.
    # Every worker on every machine has its own, so workers × (size + overflow) must stay under the
    # server's max_connections (100 by default), with room for migrations and psql.
    database_pool_size: int = Field(default=5, ge=1, le=100)
    database_max_overflow: int = Field(default=10, ge=0, le=100)
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
    # Reverse proxies whose X-Forwarded-For names the resident; empty: the peer is the resident.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()

    password_min_length: int = Field(default=5, ge=1, le=128)
    password_max_length: int = Field(default=10, ge=1, le=128)
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    max_payment_kopecks: int = Field(default=50_000_000, ge=100)
    reconcile_after_minutes: int = Field(default=10, ge=1, le=1440)
    # No reminder between 21:00 and 09:00 Moscow. Off only where letters go to the demo mailbox and
    # the browser tests must not depend on the hour they run at.
    reminders_quiet_hours: bool = True
    # The largest registry CSV taken, uploaded or from the command line; about 6 000 rows a megabyte.
    # A registry is streamed from disk, so the bound is about disk and import time, not memory.
    registry_max_mb: int = Field(default=256, ge=1, le=4096)
    # Hosts whose https pictures may stand for a provider's receipt; empty: only pictures uploaded here.
    receipt_image_hosts: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("cabinet_data_dir")
    @classmethod
    def _from_project_folder(cls, value: Path) -> Path:
        return PROJECT_ROOT / value.expanduser()

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
        try:
            parts = urllib.parse.urlsplit(value)
            _origin_host(parts)
            parts.port  # noqa: B018  (raises on a port out of range)
        except (ValueError, UnicodeError) as error:
            raise ValueError("expected an http:// or https:// address with a valid host and port") from error
        return value.rstrip("/")

    @field_validator("yookassa_allowed_networks", "trusted_proxies", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("yookassa_allowed_networks", "trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as error:
                raise ValueError(f"{network!r} is not an address or network") from error
        return value

    @field_validator("receipt_image_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("receipt_image_hosts")
    @classmethod
    def _valid_hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not _HOST_NAME.fullmatch(host):
                raise ValueError(f"{host!r} is not a host name (write it without https:// and a path)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.password_min_length > self.password_max_length:
            raise ValueError("PASSWORD_MIN_LENGTH must not exceed PASSWORD_MAX_LENGTH")
        given = [name for name in REAL_SERVICE_VARIABLES if getattr(self, name.lower())]
        if given and len(given) < len(REAL_SERVICE_VARIABLES):
            # Half real, half stand-in would serve the demo mailbox (reset links) to anyone.
            raise ValueError(
                f"set all of {', '.join(REAL_SERVICE_VARIABLES)} for real payments and mail, "
                f"or none of them for demo mode (set now: {', '.join(given)})"
            )
        if not self.demo_mode and not _strong_secret(self.secret_key):
            raise ValueError(
                f"SECRET_KEY must be a random value of at least {SECRET_KEY_MIN_LENGTH} characters "
                "when real credentials are used"
            )
        return self

    @property
    def connections_per_worker(self) -> int:
        """The most PostgreSQL connections one backend worker opens (SQLite: the same bound, unused)."""
        return self.database_pool_size + self.database_max_overflow

    @property
    def registry_max_bytes(self) -> int:
        return self.registry_max_mb * 1024 * 1024

    @property
    def demo_mode(self) -> bool:
        """No credentials at all: both stand-ins serve, with the demo mailbox and the «Демо-режим» badge."""
        return not any(getattr(self, name.lower()) for name in REAL_SERVICE_VARIABLES)

    @property
    def payments_sandbox(self) -> bool:
        """Payments go to the local YooKassa stand-in: exactly in demo mode."""
        return self.demo_mode

    @property
    def mail_sandbox(self) -> bool:
        """Letters go to the local Resend stand-in: exactly in demo mode."""
        return self.demo_mode

    @property
    def public_origin(self) -> str:
        """PUBLIC_URL as a browser names it in Origin: scheme://host[:port], no path."""
        parts = urllib.parse.urlsplit(self.public_url)
        scheme = parts.scheme.lower()
        origin = f"{scheme}://{_origin_host(parts)}"
        if parts.port is not None and parts.port != _DEFAULT_PORTS[scheme]:
            origin += f":{parts.port}"
        return origin

    @property
    def allowed_origins(self) -> list[str]:
        """Origins whose pages may call the backend: PUBLIC_URL's, and on a loopback address its twin
        (localhost and 127.0.0.1 are the same machine, and residents trying `make run` type either)."""
        origin = self.public_origin
        scheme, _, rest = origin.partition("://")
        host, colon, port = rest.partition(":") if not rest.startswith("[") else (rest, "", "")
        twin = _LOOPBACK_TWINS.get(host)
        return [origin] if twin is None else [origin, f"{scheme}://{twin}{colon}{port}"]

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
        """SECRET_KEY, or one generated on first start and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        return generated_secret_key(self.cabinet_data_dir)


def _strong_secret(value: str | None) -> bool:
    value = value or ""
    return len(value) >= SECRET_KEY_MIN_LENGTH and value.lower() not in PLACEHOLDER_SECRETS


def _origin_host(parts: urllib.parse.SplitResult) -> str:
    """The host as browsers send it: lower case, IDN in punycode, IPv6 in brackets."""
    host = parts.hostname
    if not host:
        raise ValueError("no host")
    if ":" in host:
        return f"[{host}]"
    return host.encode("idna").decode("ascii")


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


def ensure_data_dir() -> Path:
    """The data folder (CABINET_DATA_DIR), made if missing."""
    folder = get_settings().cabinet_data_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder
