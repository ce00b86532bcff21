"""Operators' pictures: PNG or JPEG by their bytes, within the size, kept once, audited every time, read by anyone."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, UploadedImage
from cabinet.services import images
from tests.factories import NOW

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _image_id(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def test_images_are_checked_by_content_and_size(session, people):
    actor = people["admin"].id
    url = images.store_image(session=session, actor_id=actor, data=PNG, now=NOW)
    assert (
        url.startswith("/api/images/") and images.store_image(session=session, actor_id=actor, data=PNG, now=NOW) == url
    )
    assert images.load_image(session=session, image_id=_image_id(url)).content_type == "image/png"
    assert images.store_image(session=session, actor_id=actor, data=JPEG, now=NOW) != url
    for data, code in (
        (b"GIF89a" + b"\x00" * 10, "image_type"),
        (b"<svg></svg>", "image_type"),
        (PNG + b"\x00" * images.MAX_IMAGE_BYTES, "image_too_large"),
    ):
        with pytest.raises(DomainError) as raised:
            images.store_image(session=session, actor_id=actor, data=data, now=NOW)
        assert raised.value.code == code


def test_a_receipt_picture_upload_is_audited(session, people):
    actor = people["admin"].id
    url = images.store_image(session=session, actor_id=actor, data=PNG, now=NOW)
    images.store_image(session=session, actor_id=actor, data=PNG, now=NOW + dt.timedelta(minutes=5))
    with pytest.raises(DomainError):
        images.store_image(session=session, actor_id=actor, data=b"GIF89a" + b"\x00" * 10, now=NOW)
    image = session.exec(select(UploadedImage)).one()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.created_at)).all()
    assert url == f"/api/images/{image.id}"
    assert [(e.action, e.actor_user_id, e.created_at, e.target_type, e.target_id) for e in events] == [
        ("image_uploaded", actor, NOW, "image", str(image.id)),
        ("image_uploaded", actor, NOW + dt.timedelta(minutes=5), "image", str(image.id)),
    ]
    assert json.loads(events[0].details) == {
        "content_type": "image/png",
        "size_bytes": len(PNG),
        "sha256": image.sha256,
        "stored": True,
    }
    assert json.loads(events[1].details)["stored"] is False  # the same picture again: kept once


def test_a_stored_picture_is_read_back_in_a_transaction_of_its_own(app_database, session, people):
    session.commit()
    url = images.store_image(actor_id=people["admin"].id, data=JPEG, now=NOW)
    image = images.load_image(image_id=_image_id(url))
    assert (image.data, image.content_type, len(image.sha256)) == (JPEG, "image/jpeg", 64)
    for missing in (_image_id(url) + 1, 0, "abc", 2**40):
        assert images.load_image(image_id=missing) is None
    assert images.image_exists(session=session, image_id=_image_id(url))
