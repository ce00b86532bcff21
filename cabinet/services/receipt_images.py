"""Where a provider's receipt picture may come from: uploaded here, shipped with the cabinet, or an allowed host."""

from __future__ import annotations

import re
import urllib.parse

from cabinet.config import PROJECT_ROOT
from cabinet.errors import DomainError

MAX_LENGTH = 200
# What store_image hands out: /api/images/<id>.
_UPLOADED = re.compile(r"/api/images/([1-9][0-9]{0,17})")
# The sample receipts the demo providers show, served from assets/.
_SHIPPED = re.compile(r"/receipts/([a-z0-9-]{1,60}\.svg)")
SHIPPED_FOLDER = PROJECT_ROOT / "assets" / "receipts"
# Nothing that could end an attribute or smuggle a second address into an https one.
_UNSAFE = re.compile(r"[\s\"'<>\\`^{}|]")


def uploaded_image_id(value: str) -> int | None:
    """The id in an /api/images/<id> address; None for any other value."""
    match = _UPLOADED.fullmatch(value)
    return int(match.group(1)) if match else None


def _allowed_https(value: str, hosts: tuple[str, ...]) -> bool:
    if not hosts or _UNSAFE.search(value) or not value.isprintable():
        return False
    try:
        parts = urllib.parse.urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and parts.hostname in hosts
        and port in (None, 443)
        and parts.username is None
        and parts.password is None
    )


def check_receipt_image(value: str, *, allowed_hosts: tuple[str, ...]) -> None:
    """Refuses any picture address but ours or an https one on RECEIPT_IMAGE_HOSTS (javascript:, data:, http:,
    other sites — a picture on a stranger's server tells that server who opened the page)."""
    if not value:
        return
    if len(value) > MAX_LENGTH:
        raise DomainError("field_too_long", max=MAX_LENGTH)
    if uploaded_image_id(value) is not None:
        return  # whether that image exists is for the caller, who has the database
    shipped = _SHIPPED.fullmatch(value)
    if shipped and (SHIPPED_FOLDER / shipped.group(1)).is_file():
        return
    if not _allowed_https(value, allowed_hosts):
        raise DomainError("provider_image_source")


def shown_receipt_image(value: str, *, allowed_hosts: tuple[str, ...]) -> str:
    """The stored address if it may be shown, else "" (a value saved before these rules shows no picture)."""
    try:
        check_receipt_image(value, allowed_hosts=allowed_hosts)
    except DomainError:
        return ""
    return value
