"""Pictures operators upload (providers' receipts): kept in the database, checked by their bytes, served to anyone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import UploadedImage
from cabinet.services.access import require_staff
from cabinet.services.audit import record_event
from cabinet.services.ids import get_by_id
from cabinet.services.transactions import transactional

MAX_IMAGE_BYTES = 2 * 1024 * 1024
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclasses.dataclass(frozen=True)
class Image:
    """A stored picture as the route serves it."""

    data: bytes
    content_type: str
    sha256: str


@transactional()
def store_image(*, session: Session, actor_id: int, data: bytes, now: dt.datetime) -> str:
    """Keeps an uploaded PNG or JPEG (checked by its bytes, not its name); returns its URL.

    Only staff who may change some provider's settings upload one (a viewer is «не найдено»): the picture
    belongs to no provider until a saved form points at it, and saving checks that provider's scope."""
    if not require_staff(session, actor_id).may_operate_any:
        raise DomainError("not_found")
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError("image_too_large", max_mb=MAX_IMAGE_BYTES // (1024 * 1024))
    content_type = next((kind for signature, kind in _IMAGE_SIGNATURES.items() if data.startswith(signature)), None)
    if content_type is None:
        raise DomainError("image_type")
    digest = hashlib.sha256(data).hexdigest()
    image = session.exec(select(UploadedImage).where(UploadedImage.sha256 == digest)).first()
    stored = image is None
    if image is None:
        image = UploadedImage(
            content_type=content_type,
            sha256=digest,
            size_bytes=len(data),
            data=data,
            uploaded_by=actor_id,
            created_at=now,
        )
        session.add(image)
        session.flush()
    # Audited even when the same picture was already kept: the picture is what residents are told
    # to compare their receipt with, so who offered it and when matters.
    record_event(
        session=session,
        action="image_uploaded",
        now=now,
        actor_user_id=actor_id,
        target_type="image",
        target_id=image.id,
        details={"content_type": content_type, "size_bytes": len(data), "sha256": digest, "stored": stored},
    )
    return f"/api/images/{image.id}"


@transactional()
def load_image(*, session: Session, image_id: object) -> Image | None:
    """Public: receipt pictures are shown to anyone choosing a provider. None for an id that names none."""
    image = get_by_id(session, UploadedImage, image_id)
    return Image(image.data, image.content_type, image.sha256) if image is not None else None


def image_exists(*, session: Session, image_id: int) -> bool:
    """Whether an uploaded picture is still kept: a provider may point only at one that is."""
    return get_by_id(session, UploadedImage, image_id) is not None
