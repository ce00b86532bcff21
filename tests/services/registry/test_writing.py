"""The import: upsert, idempotence, all-or-nothing, audit, one import per provider at a time, PINs, progress,
and a 100 000-row file in bounded memory. (The admin page's upload: tests/services/test_registry_uploads.py.)"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, Meter, ProviderAccount
from cabinet.services import registry
from cabinet.services.passwords import hash_password
from cabinet.services.pins import pin_matches
from cabinet.services.registry import writing as registry_writing
from tests.factories import NOW, make_account, make_meter, make_provider, make_user
from tests.services.registry.files import GOOD, HEADER, count_rows, csv_text, import_text, stored_account


def test_reimporting_the_same_file_writes_nothing(session, provider):
    text = csv_text(*GOOD)
    import_text(session, provider, text)
    session.expire_all()
    before = (
        [(a.id, a.updated_at, a.pin_hash) for a in session.exec(select(ProviderAccount).order_by(ProviderAccount.id))],
        [m.model_dump() for m in session.exec(select(Meter).order_by(Meter.id))],
    )
    again = import_text(session, provider, text, now=NOW + dt.timedelta(days=1))
    assert again.counts() == {
        "accounts_new": 0,
        "accounts_changed": 0,
        "accounts_unchanged": 2,
        "meters_new": 0,
        "meters_changed": 0,
        "meters_unchanged": 2,
        "rows": 3,
    }
    session.expire_all()
    after = (
        [(a.id, a.updated_at, a.pin_hash) for a in session.exec(select(ProviderAccount).order_by(ProviderAccount.id))],
        [m.model_dump() for m in session.exec(select(Meter).order_by(Meter.id))],
    )
    assert after == before
    # The same file in Windows-1251 is the same registry.
    assert import_text(session, provider, text, "cp1251").accounts_unchanged == 2


def test_changes_are_upserted_and_what_the_file_lacks_stays(session, provider):
    kept = make_account(session, provider, number="999999999", debt_kopecks=777)
    kept_meter = make_meter(session, kept, serial="K1")
    import_text(session, provider, csv_text(*GOOD))
    changed = [row.replace("1234,56", "99,00").replace("1234.56", "99") for row in GOOD[:2]]
    result = import_text(session, provider, csv_text(*changed), now=NOW + dt.timedelta(days=1))
    assert (result.accounts_changed, result.accounts_unchanged, result.meters_unchanged) == (1, 0, 2)
    session.expire_all()
    accounts = {a.number: (a.debt_kopecks, a.updated_at) for a in session.exec(select(ProviderAccount))}
    assert accounts == {
        "100200300": (9_900, NOW + dt.timedelta(days=1)),
        "100200301": (-30_000, NOW),
        "999999999": (777, NOW),
    }
    assert session.get(Meter, kept_meter.id).serial == "K1" and count_rows(session, Meter) == 3


def test_a_meter_is_known_by_account_kind_and_serial(session, provider):
    import_text(session, provider, csv_text(*GOOD))
    # Same serial, other kind: a second meter; same kind, new serial: a replaced meter is a new one.
    more = [GOOD[0], GOOD[1], GOOD[0].replace(";W1;cold_water;", ";W1;gas;"), GOOD[0].replace(";W1;", ";W9;")]
    result = import_text(session, provider, csv_text(*more))
    assert (result.meters_new, result.meters_unchanged, count_rows(session, Meter)) == (2, 2, 4)


def test_another_providers_accounts_are_not_touched(session, provider):
    other = make_provider(session, account_pattern=r"\d{9}")
    theirs = make_account(session, other, number="100200300", debt_kopecks=5)
    assert import_text(session, provider, csv_text(*GOOD)).accounts_new == 2
    session.expire_all()
    assert session.get(ProviderAccount, theirs.id).debt_kopecks == 5


def test_one_bad_row_writes_nothing(session, provider):
    with pytest.raises(DomainError, match="registry_has_errors") as raised:
        import_text(session, provider, csv_text(*GOOD, "oops;;;;;;;;;;;;;;"))
    assert raised.value.params == {"count": 4}
    assert (count_rows(session, ProviderAccount), count_rows(session, Meter), count_rows(session, AuditEvent)) == (
        0,
        0,
        0,
    )


def test_an_import_is_audited_with_its_counts_and_actor(session, provider):
    admin = make_user(session)
    import_text(session, provider, csv_text(*GOOD), actor_user_id=admin.id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "registry_imported")).one()
    assert (event.actor_user_id, event.target_type, event.target_id) == (admin.id, "provider", str(provider.id))
    assert json.loads(event.details) == {
        "accounts_new": 2,
        "accounts_changed": 0,
        "accounts_unchanged": 0,
        "meters_new": 2,
        "meters_changed": 0,
        "meters_unchanged": 0,
        "rows": 3,
    }


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_imports_for_one_provider_at_once_run_one_after_the_other(engine):
    """Regression guard: both would insert the same new accounts and the second would fail on the
    unique number; it waits for the first instead and finds everything unchanged."""
    with Session(engine) as first, Session(engine) as second:
        provider = make_provider(first, account_pattern=r"\d{9}")
        first.commit()
        import_text(first, provider, csv_text(*GOOD))  # holds the provider until it commits
        result = {}
        worker = threading.Thread(target=lambda: result.update(preview=import_text(second, provider, csv_text(*GOOD))))
        worker.start()
        worker.join(timeout=1)
        assert worker.is_alive()  # waiting for the first import
        first.commit()
        worker.join(timeout=30)
        assert (result["preview"].accounts_unchanged, result["preview"].meters_unchanged) == (2, 2)
        second.commit()
        assert count_rows(first, ProviderAccount) == 2


def test_pin_is_kept_only_as_a_keyed_hash(session, provider):
    import_text(session, provider, csv_text(*GOOD))
    account = stored_account(session, "100200300")
    assert "4821" not in account.pin_hash and account.pin_hash.startswith("hmac$")
    assert pin_matches(account.pin_hash, number="100200300", pin="4821")
    assert not pin_matches(account.pin_hash, number="100200300", pin="4822")


def test_a_new_pin_replaces_the_old_and_an_empty_one_removes_it(session, provider):
    import_text(session, provider, csv_text(*GOOD))
    renewed = [row.replace(";4821;", ";5930;") for row in GOOD[:2]]
    assert import_text(session, provider, csv_text(*renewed)).accounts_changed == 1
    session.expire_all()
    account = stored_account(session, "100200300")
    assert pin_matches(account.pin_hash, number="100200300", pin="5930")
    assert not pin_matches(account.pin_hash, number="100200300", pin="4821")
    removed = [row.replace(";5930;", ";;") for row in renewed]
    assert import_text(session, provider, csv_text(*removed)).accounts_changed == 1
    session.expire_all()
    assert stored_account(session, "100200300").pin_hash is None


def test_an_unchanged_bcrypt_pin_is_kept_and_a_changed_one_replaced(session, provider):
    """The first demo data kept PINs as bcrypt hashes: the same PIN in the file is no change."""
    import_text(session, provider, csv_text(*GOOD))
    account = stored_account(session, "100200300")
    account.pin_hash = hash_password("4821", rounds=4)
    session.add(account)
    session.commit()
    legacy = account.pin_hash
    assert import_text(session, provider, csv_text(*GOOD)).accounts_unchanged == 2
    session.expire_all()
    assert stored_account(session, "100200300").pin_hash == legacy
    changed = import_text(session, provider, csv_text(*[row.replace(";4821;", ";5930;") for row in GOOD]))
    assert (changed.accounts_changed, changed.accounts_unchanged) == (1, 1)
    session.expire_all()
    renewed = stored_account(session, "100200300").pin_hash
    assert renewed.startswith("hmac$") and pin_matches(renewed, number="100200300", pin="5930")


def test_progress_goes_up_to_the_total(session, provider):
    rows = [f"{100_000_000 + i};адрес;;1;;01.11.2026;;;;;;;;;" for i in range(12_000)]
    seen = []
    import_text(session, provider, csv_text(*rows), progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 4  # reading reports every few thousand rows, writing every batch
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert len({total for _done, total in seen}) == 1 and seen[-1][0] == seen[-1][1]


def test_progress_moves_while_writing(session, provider, monkeypatch):
    monkeypatch.setattr(registry_writing, "WRITE_LINES", 1_000)
    rows = [f"{100_000_000 + i};адрес;;1;;01.11.2026;;;M;gas;;;;;" for i in range(5_000)]
    seen = []
    import_text(session, provider, csv_text(*rows), progress=lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    writing = [done for done, _total in seen if total // 2 < done < total]
    # 5 000 accounts and 5 000 meters, a statement for every 1 000 lines of each.
    assert len(writing) >= 9 and writing == sorted(writing)


def _big_registry(path: Path, rows: int) -> Path:
    """A provider-sized registry written line by line: every row with a PIN and a meter."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for i in range(rows):
            out.write(
                f"{100_000_000 + i:09d};г. Заречный, ул. Длинная, д. {i // 100}, кв. {i % 100};Житель {i};"
                f"{i % 5000},50;;01.11.2026;{i % 3000},00;{1000 + i % 9000};S{i};cold_water;{i % 900},125;"
                f"25.10.2026;01.01.2030;5.3;45,62\r\n"
            )
    return path


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)  # once: it is the slowest test here
def test_a_hundred_thousand_rows_import_and_reimport_unchanged(session, provider, tmp_path, capsys):
    """A provider-sized registry imports from its file; importing it again writes nothing. Memory does
    not grow with the file: the re-import (every row compared with the database) is traced by
    tracemalloc in a second pass, so tracing does not slow the timed one. With -s it prints both."""
    path = _big_registry(tmp_path / "registry.csv", 100_000)
    started = time.perf_counter()
    first = registry.import_registry(session, provider_id=provider.id, source=path, now=NOW)
    seconds = time.perf_counter() - started
    assert (first.accounts_new, first.meters_new) == (100_000, 100_000)
    assert (count_rows(session, ProviderAccount), count_rows(session, Meter)) == (100_000, 100_000)
    assert stored_account(session, "100000007").debt_kopecks == 750

    tracemalloc.start()
    again = registry.import_registry(session, provider_id=provider.id, source=path, now=NOW + dt.timedelta(days=1))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (again.accounts_unchanged, again.meters_unchanged, again.accounts_changed, again.meters_changed) == (
        100_000,
        100_000,
        0,
        0,
    )
    assert session.exec(select(func.max(ProviderAccount.updated_at))).one() == NOW
    # The 17 MiB file and 100 000 compared rows would take well over 100 MiB if any of them were held.
    assert peak < 16 * 2**20
    with capsys.disabled():
        print(
            f"\n  registry of 100 000 rows ({path.stat().st_size / 2**20:.0f} MiB) on "
            f"{session.get_bind().dialect.name}: import {seconds:.1f} s ({100_000 / seconds:,.0f} rows/s); "
            f"re-import peak {peak / 2**20:.1f} MiB (tracemalloc)"
        )
