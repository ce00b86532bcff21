"""Which routes the backend serves: the stand-ins, the demo mailbox and the fault switch in demo mode only."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from cabinet.api import build_api
from cabinet.config import ConfigError, get_settings, load_settings
from tests.api.asgi_chain import chain

SECRET = "k3Jq9vXr2LmN8pWt5YbZ7cHd4FgS6aEu"
REAL = {
    "YOOKASSA_SHOP_ID": "123456",
    "YOOKASSA_SECRET_KEY": "live_abc",
    "RESEND_API_KEY": "re_123",
    "SECRET_KEY": SECRET,
}
DEMO_ONLY = {
    "/dev/mailbox",
    "/dev/mailbox.json",
    "/dev/mailbox/{email_id}",
    "/sandbox/_faults",
    "/sandbox/yookassa/v3/payments",
    "/sandbox/yookassa/v3/refunds",
    "/sandbox/yookassa/_refunds/{refund_id}/{action:str}",
    "/sandbox/resend/emails",
}


@pytest.fixture
def environment(monkeypatch):
    """Sets exactly the given credentials (the rest unset) and returns the settings start-up would read."""

    def configure(variables: dict[str, str]):
        for name in REAL:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return get_settings()

    yield configure
    get_settings.cache_clear()


def _paths(settings) -> set[str]:
    return {route.path for route in build_api(settings).routes}


def test_demo_mode_serves_both_stand_ins_the_mailbox_and_the_fault_switch(environment):
    settings = environment({})
    assert settings.demo_mode
    paths = _paths(settings)
    assert paths >= DEMO_ONLY
    assert {"/api/health", "/api/yookassa/webhook"} <= paths


def test_real_mode_serves_no_dev_or_sandbox_route(environment):
    settings = environment(REAL)
    assert not settings.demo_mode
    paths = _paths(settings)
    assert {"/api/health", "/api/yookassa/webhook"} <= paths
    assert not [path for path in paths if path.startswith(("/dev", "/sandbox"))]


def test_real_mode_answers_404_for_the_mailbox_and_the_fault_switch_through_the_whole_chain(environment):
    """Not even the transformers in front of the routes let them through; Reflex's not-found answers."""
    client = TestClient(chain(environment(REAL)))
    for path in ("/dev/mailbox", "/dev/mailbox.json", "/dev/mailbox/anything"):
        response = client.get(path)
        assert (response.status_code, response.text) == (404, "reflex"), path
    assert client.post("/sandbox/_faults", json={"service": "yookassa", "status": 500}).status_code == 404
    assert client.delete("/sandbox/_faults").status_code == 404
    assert client.post("/sandbox/yookassa/v3/payments", json={}).status_code == 404
    assert client.post("/sandbox/resend/emails", json={}).status_code == 404


def test_demo_mode_answers_the_fault_switch_through_the_whole_chain(environment):
    client = TestClient(chain(environment({})))
    response = client.delete("/sandbox/_faults")
    assert (response.status_code, response.json()) == (200, {"ok": True})


@pytest.mark.parametrize(
    "variables",
    [
        {"YOOKASSA_SHOP_ID": "123456", "YOOKASSA_SECRET_KEY": "live_abc", "SECRET_KEY": SECRET},
        {"RESEND_API_KEY": "re_123", "SECRET_KEY": SECRET},
        {"YOOKASSA_SHOP_ID": "123456", "RESEND_API_KEY": "re_123", "SECRET_KEY": SECRET},
    ],
    ids=["payments-real-mail-demo", "mail-real-payments-demo", "half-a-shop"],
)
def test_a_half_real_configuration_builds_no_routes_at_all(environment, variables):
    """It used to mount the stand-ins beside the real service: the mailbox with reset links was public."""
    with pytest.raises(
        ConfigError,
        match=r"^Configuration error: set all of YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY, "
        r"RESEND_API_KEY for real payments and mail, or none of them",
    ):
        environment(variables)


def test_a_test_may_point_the_real_sdk_at_a_stand_in_on_another_port():
    """YOOKASSA_API_URL / RESEND_API_URL move the API address only; the mode follows the credentials."""
    demo = load_settings(yookassa_api_url="http://127.0.0.1:9/v3", resend_api_url="http://127.0.0.1:9")
    assert demo.demo_mode and demo.yookassa_base_url == "http://127.0.0.1:9/v3"
    real = load_settings(
        yookassa_shop_id="1",
        yookassa_secret_key="s",
        resend_api_key="re_1",
        secret_key=SECRET,
        yookassa_api_url="http://127.0.0.1:9/v3",
        resend_api_url="http://127.0.0.1:9",
    )
    assert not real.demo_mode
    assert (real.yookassa_base_url, real.resend_base_url) == ("http://127.0.0.1:9/v3", "http://127.0.0.1:9")
    assert not [path for path in _paths(real) if path.startswith(("/dev", "/sandbox"))]
