"""Settings: defaults, one clear line for a bad value, sandbox switches, the secret key file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cabinet.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_are_the_embedded_demo():
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.redis_url is None
    assert settings.support_email == "support@смородина.онлайн"
    assert (settings.password_min_length, settings.password_max_length) == (5, 10)
    assert settings.demo_mode and settings.payments_sandbox and settings.mail_sandbox
    assert settings.yookassa_base_url == "http://localhost:3000/sandbox/yookassa/v3"
    assert settings.resend_base_url == "http://localhost:3000/sandbox/resend"


def test_credentials_switch_the_sandboxes_off():
    settings = load_settings(
        yookassa_shop_id="123456",
        yookassa_secret_key="live_abc",
        resend_api_key="re_123",
        secret_key="a-long-random-production-secret",
    )
    assert not settings.demo_mode
    assert settings.yookassa_base_url == "https://api.yookassa.ru/v3"
    assert settings.resend_base_url == "https://api.resend.com"


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"password_min_length": "abc"}, "PASSWORD_MIN_LENGTH"),
        ({"database_url": "mysql://x"}, "DATABASE_URL"),
        ({"redis_url": "http://localhost"}, "REDIS_URL"),
        ({"public_url": "localhost:3000"}, "PUBLIC_URL"),
        ({"yookassa_allowed_networks": "300.1.1.1/32"}, "YOOKASSA_ALLOWED_NETWORKS"),
        ({"registry_max_mb": "0"}, "REGISTRY_MAX_MB"),
        ({"registry_max_mb": "-5"}, "REGISTRY_MAX_MB"),
        ({"registry_max_mb": "4097"}, "REGISTRY_MAX_MB"),
        ({"registry_max_mb": "256 MB"}, "REGISTRY_MAX_MB"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(overrides, variable):
    with pytest.raises(ConfigError) as raised:
        load_settings(**overrides)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"Configuration error: {variable}")


def test_registry_size_limit_is_256_mb_unless_set(monkeypatch):
    assert load_settings().registry_max_bytes == 256 * 1024 * 1024
    monkeypatch.setenv("REGISTRY_MAX_MB", "3")
    assert (load_settings().registry_max_mb, load_settings().registry_max_bytes) == (3, 3 * 1024 * 1024)
    monkeypatch.setenv("REGISTRY_MAX_MB", "4096")
    assert load_settings().registry_max_mb == 4096


def test_inconsistent_bounds_and_half_credentials_are_refused():
    with pytest.raises(ConfigError, match="PASSWORD_MIN_LENGTH must not exceed"):
        load_settings(password_min_length=11, password_max_length=10)
    with pytest.raises(ConfigError, match="YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY"):
        load_settings(yookassa_shop_id="123")


def test_placeholder_secret_is_refused_outside_demo():
    real = {"yookassa_shop_id": "1", "yookassa_secret_key": "s", "resend_api_key": "re_1"}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(**real, secret_key="changeme")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(**real)
    # In demo mode an unset key is generated and kept.
    assert load_settings(secret_key="changeme").demo_mode


def test_generated_secret_key_is_kept_between_starts():
    first = load_settings().effective_secret_key
    second = load_settings().effective_secret_key
    assert first == second and len(first) >= 40
    path = Path(os.environ["CABINET_DATA_DIR"]) / "secret_key"
    assert path.read_text().strip() == first
    assert path.stat().st_mode & 0o077 == 0


def test_generated_secret_key_is_read_from_its_file_once():
    """A registry import hashes every PIN with it: the file is not read again for each one."""
    from cabinet.config import _generated_secret_key

    key = load_settings().effective_secret_key
    path = Path(os.environ["CABINET_DATA_DIR"]) / "secret_key"
    path.write_text("replaced-behind-its-back")
    try:
        assert load_settings().effective_secret_key == key
        _generated_secret_key.cache_clear()
        assert load_settings().effective_secret_key == "replaced-behind-its-back"
    finally:
        path.write_text(key)
        _generated_secret_key.cache_clear()
    assert load_settings().effective_secret_key == key


@pytest.mark.parametrize(("variable", "value", "line"), [
    ("PASSWORD_MAX_LENGTH", "ten",
     "Configuration error: PASSWORD_MAX_LENGTH: Input should be a valid integer, unable to parse string as an integer"),
    ("REGISTRY_MAX_MB", "0", "Configuration error: REGISTRY_MAX_MB: Input should be greater than or equal to 1"),
])
def test_command_line_prints_one_line_and_no_traceback(variable, value, line):
    env = {**os.environ, variable: value}
    result = subprocess.run(
        [sys.executable, "-m", "cabinet", "check-config"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [line]
    assert "Traceback" not in result.stdout + result.stderr
