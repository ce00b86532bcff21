"""«Мои данные»: the archive holds every kind of the resident's data and nothing of anyone else's; its link works
once and for a day; the requests are journalled and limited; closing the cabinet takes the archive with it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import AccountLink, AuditEvent, DataArchive, DataArchiveStatus
from cabinet.services import closure, data_archive
from cabinet.services.resident_data import SECTIONS
from tests.factories import NOW
from tests.resident_world import make_resident_with_everything


def _prepare(user_id: int, now: dt.datetime = NOW, **kwargs) -> data_archive.ReadyArchive:
    return data_archive.prepare_archive(user_id=user_id, now=now, **kwargs)


def _files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _refusal(**kwargs) -> str:
    with pytest.raises(DomainError) as refused:
        data_archive.take_archive(**kwargs)
    return refused.value.code


def test_the_archive_holds_every_kind_of_data_of_the_resident_and_nothing_of_another(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    boris = make_resident_with_everything(session, name="boris")
    session.commit()
    heard: list[int] = []
    ready = _prepare(anna["user"].id, progress=heard.append, client_address="10.0.0.1")
    assert heard == sorted(heard) and heard[-1] == 100 and len(heard) >= len(SECTIONS)
    assert ready.expires_at == NOW + dt.timedelta(days=1)

    taken = data_archive.take_archive(raw_token=ready.token, now=NOW + dt.timedelta(hours=1))
    assert taken.filename == "kabinet-moi-dannye-2026-11-25.zip"
    files = _files(taken.content)
    assert set(files) == {"data.json", "index.html", *(f"{key}.csv" for key in SECTIONS)}
    data = json.loads(files["data.json"])
    assert all(data[key] for key in SECTIONS), "every kind of data is there"
    assert data["profile"][0]["email"] == "anna@example.com"
    assert data["accounts"][0]["nickname"] == "Дача-anna"
    assert data["readings"][0]["value_thousandths"] == 123_456
    assert [p["amount_kopecks"] for p in data["payments"]] == [150_000]
    assert [line["amount_kopecks"] for line in data["receipt_lines"]] == [150_000]
    assert [refund["amount_kopecks"] for refund in data["refunds"]] == [10_000]
    assert data["consents"][0] == {"consent": "personal_data", "given": True, "since": NOW.isoformat()}
    assert {row["event"] for row in data["sign_ins"]} == {"sign_in", "sign_in_failed", "session"}
    assert "10.9." in json.dumps(data["sign_ins"]) and "Browser-of-anna" in files["sign_ins.csv"]
    everything = "".join(files.values())
    for fragment in (*boris["personal"], boris["account"].number, "boris"):
        assert fragment not in everything
    # For people: words, roubles and Moscow time.
    assert "1 500,00 ₽" in files["payments.csv"].replace("\u00a0", " ")
    assert "25.11.2026 12:00" in files["profile.csv"]
    assert "Текст согласия на обработку персональных данных" in files["index.html"]


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    found = session.exec(select(AccountLink).where(AccountLink.user_id == anna["user"].id)).one()
    found.nickname = '=HYPERLINK("http://evil")'
    session.add(found)
    session.commit()
    files = _files(data_archive.take_archive(raw_token=_prepare(anna["user"].id).token, now=NOW).content)
    rows = list(csv.reader(io.StringIO(files["accounts.csv"].lstrip("\ufeff")), delimiter=";"))
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    assert "<td>=HYPERLINK(&quot;http://evil&quot;)</td>" in files["index.html"]


def test_the_link_works_once_and_for_a_day_and_both_are_journalled(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    first, second = _prepare(anna["user"].id), _prepare(anna["user"].id)
    data_archive.take_archive(raw_token=first.token, now=NOW, client_address="10.0.0.2")
    assert _refusal(raw_token=first.token, now=NOW) == "archive_link_invalid"
    assert _refusal(raw_token=second.token, now=NOW + dt.timedelta(days=1)) == "archive_link_invalid"
    for token in ("", "x" * 500, "made-up"):
        assert _refusal(raw_token=token, now=NOW) == "archive_link_invalid"
    with Session(app_database) as check:
        actions = check.exec(
            select(AuditEvent.action, AuditEvent.client_address).where(AuditEvent.action.startswith("data_archive"))
        ).all()
        assert sorted(actions) == [
            ("data_archive_downloaded", "10.0.0.2"),
            ("data_archive_requested", ""),
            ("data_archive_requested", ""),
        ]
        # Downloaded: the bytes are gone at once; the other archive waits for its link.
        contents = check.exec(select(DataArchive.content).order_by(DataArchive.id)).all()[-2:]
        assert contents[0] is None and contents[1][:2] == b"PK"
    assert data_archive.sweep_archives(now=NOW + dt.timedelta(days=1)) >= 2
    with Session(app_database) as check:
        assert check.exec(select(DataArchive).where(DataArchive.user_id == anna["user"].id)).all() == []


def test_requests_are_limited_a_day_and_one_at_a_time(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.add(
        DataArchive(
            user_id=anna["user"].id,
            token_hash="p" * 64,
            status=DataArchiveStatus.preparing,
            expires_at=NOW,
            created_at=NOW,
        )
    )
    session.commit()
    with pytest.raises(DomainError) as busy:
        _prepare(anna["user"].id, now=NOW + dt.timedelta(minutes=1))
    assert busy.value.code == "archive_busy"
    later = NOW + data_archive.PREPARING_TIMEOUT + dt.timedelta(seconds=1)
    for _ in range(data_archive.DAILY_LIMIT):
        _prepare(anna["user"].id, now=later)
    with pytest.raises(DomainError) as limited:
        _prepare(anna["user"].id, now=later)
    assert (limited.value.code, limited.value.params) == ("archive_too_many", {"limit": data_archive.DAILY_LIMIT})
    _prepare(anna["user"].id, now=later + dt.timedelta(days=1, seconds=1))


def test_closing_the_cabinet_takes_its_archives_and_their_links_with_it(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    ready = _prepare(anna["user"].id)
    closure.close_own_cabinet(user_id=anna["user"].id, password="secret12", confirmed=True, now=NOW)
    assert _refusal(raw_token=ready.token, now=NOW) == "archive_link_invalid"
    with pytest.raises(DomainError) as closed:
        _prepare(anna["user"].id)
    assert closed.value.code == "not_found"


def test_the_page_names_the_limits_the_service_keeps():
    from cabinet import texts

    assert f"до {data_archive.DAILY_LIMIT} раз в сутки" in texts.SETTINGS["data_limits"]
    assert dt.timedelta(days=1) == data_archive.LINK_LIFETIME
