"""GET /api/my-data/<token> through the ASGI app: the archive once, as a private zip; a Russian page after that."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from cabinet.api import build_api
from cabinet.clock import utc_now
from cabinet.config import get_settings, load_settings
from cabinet.services import data_archive
from tests.resident_world import make_resident_with_everything


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield TestClient(build_api(load_settings()), raise_server_exceptions=False)
    get_settings.cache_clear()


def test_the_archive_downloads_once_then_the_link_explains_itself_in_russian(engine, client):
    with Session(engine, expire_on_commit=False) as session:
        anna = make_resident_with_everything(session, name="anna")
        session.commit()
    ready = data_archive.prepare_archive(user_id=anna["user"].id, now=utc_now())
    response = client.get(f"/api/my-data/{ready.token}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename*=UTF-8''kabinet-moi-dannye-")
    assert "data.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()

    again = client.get(f"/api/my-data/{ready.token}")
    assert again.status_code == 410 and again.headers["cache-control"] == "no-store"
    assert "Ссылка на архив неверна, уже использована или устарела" in again.text
    assert "anna" not in again.text


@pytest.mark.parametrize("token", ["made-up", "x" * 300, "%00", "<img src=x onerror=alert(1)>"])
def test_a_made_up_link_gets_the_same_page(client, token):
    response = client.get(f"/api/my-data/{token}")
    assert response.status_code == 410
    assert 'id="archive-link-invalid"' in response.text and "<img" not in response.text
