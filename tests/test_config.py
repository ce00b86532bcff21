"""Settings: defaults, one clear line for a bad value, demo or real mode, the secret key file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cabinet.config import ConfigError, get_settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
STRONG_SECRET = "k3Jq9vXr2LmN8pWt5YbZ7cHd4FgS6aEu"  # 32 characters
REAL = {
    "yookassa_shop_id": "123456",
    "yookassa_secret_key": "live_abc",
    "resend_api_key": "re_123",
    "secret_key": STRONG_SECRET,
}


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
    settings = load_settings(**REAL)
    assert not settings.demo_mode and not settings.payments_sandbox and not settings.mail_sandbox
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


def test_inconsistent_bounds_are_refused():
    with pytest.raises(ConfigError, match="PASSWORD_MIN_LENGTH must not exceed"):
        load_settings(password_min_length=11, password_max_length=10)


MIXED = [
    {"yookassa_shop_id": "123456", "yookassa_secret_key": "live_abc"},
    {"resend_api_key": "re_123"},
    {"yookassa_shop_id": "123456"},
    {"yookassa_secret_key": "live_abc", "resend_api_key": "re_123"},
]


@pytest.mark.parametrize("credentials", MIXED, ids=lambda credentials: "+".join(credentials))
def test_half_real_half_demo_is_refused_with_one_line_naming_the_variables(credentials):
    """Payments real and mail a stand-in (or the reverse) once served the demo mailbox to anyone."""
    with pytest.raises(ConfigError) as raised:
        load_settings(**credentials, secret_key=STRONG_SECRET)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(
        "Configuration error: set all of YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY, RESEND_API_KEY for real "
        "payments and mail, or none of them for demo mode (set now: "
    )
    assert message.endswith(f"{', '.join(name.upper() for name in credentials)})")


def test_half_real_environment_stops_check_config_with_one_line():
    env = {**os.environ, "YOOKASSA_SHOP_ID": "123456", "YOOKASSA_SECRET_KEY": "live_abc", "SECRET_KEY": STRONG_SECRET}
    env.pop("RESEND_API_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "cabinet", "check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: set all of YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY, RESEND_API_KEY for real payments "
        "and mail, or none of them for demo mode (set now: YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY)"
    ]


@pytest.mark.parametrize("secret", [None, "", "changeme", "short-but-not-a-placeholder", "x" * 31])
def test_a_missing_placeholder_or_short_secret_is_refused_outside_demo(secret):
    with pytest.raises(ConfigError, match="Configuration error: SECRET_KEY must be a random value of at least 32"):
        load_settings(**{**REAL, "secret_key": secret})


def test_a_long_secret_is_taken_outside_demo_and_none_is_needed_in_demo():
    assert load_settings(**{**REAL, "secret_key": "y" * 32}).secret_key == "y" * 32
    # In demo mode an unset key is generated and kept.
    assert load_settings(secret_key="changeme").demo_mode
    assert load_settings().demo_mode


def test_trusted_proxies_are_none_unless_listed(monkeypatch):
    assert load_settings().trusted_proxies == ()
    monkeypatch.setenv("TRUSTED_PROXIES", " 10.0.0.7, 172.18.0.0/16 ,2001:db8::/32,")
    assert load_settings().trusted_proxies == ("10.0.0.7", "172.18.0.0/16", "2001:db8::/32")


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.local", "10.0.0.0/33", "10.0.0.1;10.0.0.2"])
def test_a_bad_trusted_proxy_is_one_line_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value).startswith("Configuration error: TRUSTED_PROXIES: ")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("public_url", "origin"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("https://Смородина.онлайн/cabinet/", "https://xn--80ahmohdapg.xn--80asehdb"),
        ("https://cabinet.example.ru:443/", "https://cabinet.example.ru"),
        ("http://cabinet.example.ru:80", "http://cabinet.example.ru"),
        ("https://user:pw@cabinet.example.ru:8443/a?b#c", "https://cabinet.example.ru:8443"),
        ("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080"),
    ],
)
def test_public_origin_is_what_a_browser_sends_as_origin(public_url, origin):
    assert load_settings(public_url=public_url).public_origin == origin


@pytest.mark.parametrize("public_url", ["http://", "https://host:99999", "http://:3000/", "http://a..b/"])
def test_a_public_url_without_a_usable_host_or_port_is_refused(public_url):
    with pytest.raises(ConfigError, match=r"^Configuration error: PUBLIC_URL: "):
        load_settings(public_url=public_url)


def test_generated_secret_key_is_kept_between_starts():
    first = load_settings().effective_secret_key
    second = load_settings().effective_secret_key
    assert first == second and len(first) >= 40
    path = Path(os.environ["CABINET_DATA_DIR"]) / "secret_key"
    assert path.read_text().strip() == first
    assert path.stat().st_mode & 0o077 == 0


def test_generated_secret_key_is_read_from_its_file_once():
    """A registry import hashes every PIN with it: the file is not read again for each one."""
    from cabinet.secret_key import generated_secret_key

    key = load_settings().effective_secret_key
    path = Path(os.environ["CABINET_DATA_DIR"]) / "secret_key"
    path.write_text("replaced-behind-its-back")
    try:
        assert load_settings().effective_secret_key == key
        generated_secret_key.cache_clear()
        assert load_settings().effective_secret_key == "replaced-behind-its-back"
    finally:
        path.write_text(key)
        generated_secret_key.cache_clear()
    assert load_settings().effective_secret_key == key


@pytest.mark.parametrize(
    ("variable", "value", "line"),
    [
        (
            "PASSWORD_MAX_LENGTH",
            "ten",
            "Configuration error: PASSWORD_MAX_LENGTH: Input should be a valid integer, "
            "unable to parse string as an integer",
        ),
        ("REGISTRY_MAX_MB", "0", "Configuration error: REGISTRY_MAX_MB: Input should be greater than or equal to 1"),
        (
            "DATABASE_POOL_SIZE",
            "0",
            "Configuration error: DATABASE_POOL_SIZE: Input should be greater than or equal to 1",
        ),
    ],
)
def test_command_line_prints_one_line_and_no_traceback(variable, value, line):
    env = {**os.environ, variable: value}
    result = subprocess.run(
        [sys.executable, "-m", "cabinet", "check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [line]
    assert "Traceback" not in result.stdout + result.stderr


def test_the_data_folder_is_a_setting_so_env_applies_to_it(tmp_path, monkeypatch):
    """CABINET_DATA_DIR from `.env` moves the SQLite file, the generated key and registry uploads with it."""
    monkeypatch.delenv("CABINET_DATA_DIR")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text(f"CABINET_DATA_DIR={tmp_path / 'from-env-file'}\n")
    settings = load_settings(_env_file=env_file)
    assert settings.cabinet_data_dir == tmp_path / "from-env-file"
    assert settings.database_url == f"sqlite:///{tmp_path / 'from-env-file' / 'cabinet.db'}"
    # A relative folder is the project's, not the current directory's.
    env_file.write_text("CABINET_DATA_DIR=elsewhere\n")
    assert load_settings(_env_file=env_file).cabinet_data_dir == ROOT / "elsewhere"
    # Without either, data/ in the project.
    assert load_settings(_env_file=None).cabinet_data_dir == ROOT / "data"


def test_the_tests_data_folder_holds_the_generated_key_and_uploads():
    from cabinet.services.registry_uploads import registry_uploads_folder

    folder = Path(os.environ["CABINET_DATA_DIR"])
    assert get_settings().cabinet_data_dir == folder
    assert registry_uploads_folder() == folder / "registry-uploads"


def test_check_config_shows_what_the_workers_may_ask_of_postgresql():
    """Every worker on every machine has its own pool: the total must fit the server's max_connections."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/unused",
        "DATABASE_POOL_SIZE": "4",
        "DATABASE_MAX_OVERFLOW": "2",
        "GRANIAN_WORKERS": "3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "cabinet", "check-config"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "up to 6 per backend worker" in result.stdout
    assert "3 workers here (GRANIAN_WORKERS): up to 18 from this machine" in result.stdout


def test_the_pool_settings_reach_the_postgresql_engine():
    from cabinet.db import engine_for

    get_settings.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DATABASE_POOL_SIZE", "3")
            patch.setenv("DATABASE_MAX_OVERFLOW", "1")
            engine = engine_for.__wrapped__("postgresql+psycopg://postgres@127.0.0.1:5432/unused")
        assert (engine.pool.size(), engine.pool._max_overflow) == (3, 1)
        engine.dispose()
    finally:
        get_settings.cache_clear()
