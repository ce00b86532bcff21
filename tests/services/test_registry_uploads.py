"""Registry uploads on disk: kept only while importable, removed when refused, replaced, imported or a day old."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from sqlmodel import Session, select

from cabinet import background
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import AuditEvent, ProviderAccount, UserRole
from cabinet.services import registry_uploads as uploads
from tests.factories import NOW, make_provider, make_user

GOOD = "account;address;debt;as_of\r\n3700999001;г. Тестов, ул. Мира, д. 2;1200,50;2026-11-01\r\n".encode()
# The account number does not fit the provider's ten digits: a row error, nothing importable.
WRONG_ROW = "account;address;debt;as_of\r\n12;г. Тестов, ул. Мира, д. 2;1200,50;2026-11-01\r\n".encode()
NOT_A_TEXT = b"account;address;debt;as_of\r\n\x81\x98\x98;\xff\xfe;1;2026-11-01\r\n"


@pytest.fixture
def desk(engine, session, monkeypatch, tmp_path):
    """An operator, a resident and a provider in the test's database, which the entry functions open."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    ids = {
        "admin": make_user(session, role=UserRole.admin).id,
        "resident": make_user(session).id,
        "provider": make_provider(session).id,
        "folder": tmp_path / "registry-uploads",
    }
    session.commit()
    yield ids
    get_settings.cache_clear()


def _check(desk: dict, data: bytes, *, replacing: str = "", actor: str = "admin") -> uploads.CheckedUpload:
    return uploads.check_registry_upload(
        actor_id=desk[actor],
        provider_id=desk["provider"],
        upload=io.BytesIO(data),
        replacing=replacing,
        folder=desk["folder"],
    )


def _kept(desk: dict) -> list[str]:
    folder: Path = desk["folder"]
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_preview_with_row_errors_leaves_no_file(desk):
    checked = _check(desk, WRONG_ROW)
    assert (checked.name, checked.preview.error_count) == ("", 1)
    assert _kept(desk) == []


def test_a_file_the_preview_cannot_read_leaves_no_file(desk):
    with pytest.raises(DomainError) as raised:
        _check(desk, NOT_A_TEXT)
    assert raised.value.code == "registry_encoding"
    assert _kept(desk) == []


def test_a_file_over_the_limit_leaves_no_file(desk, monkeypatch):
    monkeypatch.setenv("REGISTRY_MAX_MB", "1")
    get_settings.cache_clear()
    with pytest.raises(DomainError) as raised:
        _check(desk, GOOD + b"x" * (1024 * 1024))
    assert (raised.value.code, raised.value.params) == ("registry_too_large", {"max_mb": 1})
    assert _kept(desk) == []


def test_an_importable_file_is_kept_until_a_new_one_replaces_it(desk):
    first = _check(desk, GOOD)
    assert first.preview.accounts_new == 1 and _kept(desk) == [first.name]
    second = _check(desk, GOOD, replacing=first.name)
    assert _kept(desk) == [second.name] != [first.name]
    # A refused replacement leaves nothing: neither the old file nor the new one.
    assert _check(desk, WRONG_ROW, replacing=second.name).name == ""
    assert _kept(desk) == []


def test_a_stranger_writes_nothing_and_removes_nothing(desk):
    kept = _check(desk, GOOD).name
    with pytest.raises(DomainError) as raised:
        _check(desk, GOOD, replacing=kept, actor="resident")
    assert raised.value.code == "not_found"
    assert _kept(desk) == [kept]


def test_the_import_removes_the_file_once_committed(desk, session):
    name = _check(desk, GOOD).name
    result = uploads.import_registry_upload(
        actor_id=desk["admin"], provider_id=desk["provider"], name=name, now=NOW, folder=desk["folder"]
    )
    assert result.accounts_new == 1 and _kept(desk) == []
    assert session.exec(select(ProviderAccount.number)).all() == ["3700999001"]
    with pytest.raises(DomainError) as raised:  # the page's second click finds the file gone
        uploads.import_registry_upload(
            actor_id=desk["admin"], provider_id=desk["provider"], name=name, now=NOW, folder=desk["folder"]
        )
    assert raised.value.code == "registry_upload_gone"


def test_a_failed_import_keeps_the_file_for_another_try(desk):
    name = _check(desk, GOOD).name
    with pytest.raises(DomainError):
        uploads.import_registry_upload(
            actor_id=desk["resident"], provider_id=desk["provider"], name=name, now=NOW, folder=desk["folder"]
        )
    assert _kept(desk) == [name]


def test_the_check_joins_a_callers_transaction(session, tmp_path):
    """Called with `session=` it works in the caller's transaction: an operator not yet committed is one."""
    operator, provider = make_user(session, role=UserRole.admin), make_provider(session)
    checked = uploads.check_registry_upload(
        session=session,
        actor_id=operator.id,
        provider_id=provider.id,
        upload=io.BytesIO(GOOD),
        replacing="",
        folder=tmp_path / "uploads",
    )
    assert checked.preview.accounts_new == 1
    assert [path.name for path in (tmp_path / "uploads").iterdir()] == [checked.name]


def test_the_check_and_the_import_commit_on_their_own(desk, engine):
    """Called as a State calls them, without a session: each opens and commits its own transaction."""
    name = _check(desk, GOOD).name
    uploads.import_registry_upload(
        actor_id=desk["admin"], provider_id=desk["provider"], name=name, now=NOW, folder=desk["folder"]
    )
    with Session(engine) as other:
        assert other.exec(select(AuditEvent.action).where(AuditEvent.action == "registry_imported")).all() == [
            "registry_imported"
        ]


@pytest.mark.parametrize("name", ["../secret_key", "/etc/passwd", "x.csv", "0" * 32 + ".csv/..", ""])
def test_a_name_that_is_not_ours_touches_nothing(desk, tmp_path, name):
    outside = tmp_path / "secret_key"
    outside.write_text("keep me")
    uploads.discard_registry_upload(name, folder=desk["folder"])
    assert outside.read_text() == "keep me"
    with pytest.raises(DomainError) as raised:
        uploads.import_registry_upload(
            actor_id=desk["admin"], provider_id=desk["provider"], name=name, now=NOW, folder=desk["folder"]
        )
    assert raised.value.code == "registry_upload_gone"


class _Upload(io.RawIOBase):
    """An uploaded file of `size` bytes that records how much each read asks for."""

    def __init__(self, size: int):
        self.left, self.asked = size, []

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        chunk = min(self.left, size if size >= 0 else self.left)
        self.left -= chunk
        return b"x" * chunk


def test_an_upload_is_saved_in_chunks_and_one_over_the_limit_leaves_nothing(tmp_path):
    chunk = uploads.COPY_CHUNK
    upload = _Upload(5 * chunk + 1)
    with pytest.raises(DomainError):
        uploads.save_registry_upload(upload, max_bytes=5 * chunk, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert set(upload.asked) == {chunk} and len(upload.asked) == 6
    name = uploads.save_registry_upload(_Upload(5 * chunk), max_bytes=5 * chunk, folder=tmp_path)
    assert (tmp_path / name).stat().st_size == 5 * chunk


def _aged(folder: Path, name: str, now: dt.datetime, age: dt.timedelta) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(GOOD)
    stamp = (now - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_the_sweep_removes_files_older_than_a_day_and_keeps_fresh_ones(tmp_path):
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    second = dt.timedelta(seconds=1)
    old = _aged(tmp_path, "a" * 32 + ".csv", now, dt.timedelta(days=3))
    just_over = _aged(tmp_path, "b" * 32 + ".csv", now, uploads.KEEP_FOR + second)
    just_under = _aged(tmp_path, "c" * 32 + ".csv", now, uploads.KEEP_FOR - second)
    fresh = _aged(tmp_path, "d" * 32 + ".csv", now, dt.timedelta(minutes=5))
    assert uploads.sweep_registry_uploads(now=now, folder=tmp_path) == 2
    assert (old.exists(), just_over.exists(), just_under.exists(), fresh.exists()) == (False, False, True, True)
    assert uploads.sweep_registry_uploads(now=now, folder=tmp_path / "never-made") == 0


def test_the_background_loop_sweeps_at_start(monkeypatch):
    """Run by the backend: the first pass comes at once, not an hour after a restart."""
    stale = _aged(uploads.registry_uploads_folder(), "e" * 32 + ".csv", dt.datetime.now(dt.UTC), dt.timedelta(days=2))
    fresh = _aged(uploads.registry_uploads_folder(), "f" * 32 + ".csv", dt.datetime.now(dt.UTC), dt.timedelta(0))

    async def one_pass() -> None:
        task = asyncio.create_task(background.registry_uploads_loop())
        for _ in range(500):
            if not stale.exists():
                break
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(one_pass())
    assert (stale.exists(), fresh.exists()) == (False, True)
    fresh.unlink()
