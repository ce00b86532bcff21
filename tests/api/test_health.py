"""GET /api/health through the ASGI app: 200 with a reachable database, 503 without."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from cabinet import __version__
from cabinet.api import build_api
from cabinet.config import get_settings, load_settings


@pytest.fixture
def use_database(monkeypatch):
    def switch(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()

    yield switch
    get_settings.cache_clear()


def test_health_is_ok_with_a_database(use_database, engine):
    use_database(str(engine.url.render_as_string(hide_password=False)))
    client = TestClient(build_api(load_settings()))
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "database": "ok"}


def test_health_is_503_when_the_database_is_down(use_database):
    # Nothing listens on port 1: the connection is refused at once.
    use_database("postgresql+psycopg://postgres@127.0.0.1:1/none")
    client = TestClient(build_api(load_settings()), raise_server_exceptions=False)
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "Traceback" not in response.text
