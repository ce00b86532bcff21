"""GET /api/images/<id> through the ASGI app: a stored picture, and one JSON 404 for every id that names none."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from cabinet.api import build_api
from cabinet.config import get_settings, load_settings
from cabinet.models import UserRole
from cabinet.services import images
from tests.factories import NOW, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield TestClient(build_api(load_settings()), raise_server_exceptions=False)
    get_settings.cache_clear()


def test_a_stored_picture_is_served_and_cached_by_its_digest(engine, client):
    with Session(engine) as session:
        operator = make_user(session, role=UserRole.admin)
        url = images.store_image(session=session, actor_id=operator.id, data=PNG, now=NOW)
        session.commit()
    response = client.get(url)
    assert (response.status_code, response.headers["content-type"], response.content) == (200, "image/png", PNG)
    assert client.get(url, headers={"if-none-match": response.headers["etag"]}).status_code == 304


@pytest.mark.parametrize(
    "image_id",
    [
        "999999",
        "0",
        "-1",
        "2147483648",
        "99999999999999999999",
        "abc",
        "1.5",
        pytest.param("9" * 5000, id="5000-digits"),
    ],
)
def test_an_id_that_names_no_picture_gets_the_same_json_404(client, image_id):
    response = client.get(f"/api/images/{image_id}")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found"}
