"""The registry format for staff and the sample file: described from the importer's own rules, and accepted by it.

Each statement the format page makes about a column is checked against the real preview here, so the help
cannot say one thing while the importer does another.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from cabinet.errors import DomainError
from cabinet.models import AccountChecksum, StaffMembership, StaffRole
from cabinet.services import registry
from cabinet.services.admin import registry_help
from cabinet.services.registry import columns as spec
from cabinet.services.registry.sample import ACCOUNTS, sample_text
from tests.factories import NOW, make_account, make_provider, make_user

TODAY = dt.date(2026, 11, 25)


def _preview(session, provider_id: int, data: bytes) -> registry.RegistryPreview:
    return registry.preview_registry(session, provider_id=provider_id, source=io.BytesIO(data))


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=spec.SEPARATOR))


def _sample(session, actor_id: int, provider_id: object) -> registry_help.SampleFile:
    return registry_help.registry_sample(session=session, actor_id=actor_id, provider_id=provider_id, now=NOW)


def _format(session, actor_id: int, provider_id: object = "") -> registry_help.RegistryFormat:
    return registry_help.registry_format(session=session, actor_id=actor_id, provider_id=provider_id, now=NOW)


# --- the description ---------------------------------------------------------------


def test_every_column_the_importer_reads_is_described_in_its_order(session, people):
    described = _format(session, people["admin"].id)
    assert [column.name for column in described.columns] == list(registry.COLUMNS)
    assert all(column.meaning and column.forms and column.example for column in described.columns)
    required = {column.name for column in described.columns if column.required == "yes"}
    assert required == set(registry.REQUIRED) == {"account", "address", "debt", "as_of"}
    assert [column.name for column in described.columns if column.required == "meter"] == ["meter_kind"]


def test_the_file_rules_name_the_separator_encodings_marks_and_date_forms(session, people):
    rules = " ".join(_format(session, people["admin"].id).rules)
    for said in ("«;»", "UTF-8", "Windows-1251", "1234,56", "1234.56", "ДД.ММ.ГГГГ", "ГГГГ-ММ-ДД", "256 МБ"):
        assert said in rules


@pytest.mark.parametrize("name", registry.REQUIRED)
def test_each_column_called_required_is_refused_empty_and_missing(session, people, name):
    provider = make_provider(session)
    rows = _rows(_sample(session, people["admin"].id, provider.id).data)[:1]
    rows[0][name] = ""
    text = sample_text(rows)
    assert [(error.line, error.column) for error in _preview(session, provider.id, text.encode()).errors] == [(2, name)]
    kept = [column for column in registry.COLUMNS if column != name]
    lines = [spec.SEPARATOR.join(kept), spec.SEPARATOR.join(rows[0][column] for column in kept)]
    missing = _preview(session, provider.id, "\r\n".join(lines).encode()).errors
    assert [(error.line, error.column) for error in missing] == [(1, name)]


@pytest.mark.parametrize("column", [column for column in spec.SPEC if not column.required])
def test_each_optional_column_may_be_left_out_and_empty(session, people, column):
    provider = make_provider(session)
    rows = _rows(_sample(session, people["admin"].id, provider.id).data)[:1]
    meter_kind_only = column.name == "meter_kind"
    for row in rows:
        for name in spec.METER_FIELDS if meter_kind_only else [column.name]:
            row[name] = ""  # a meter's kind may be empty only on a row without a meter
    assert _preview(session, provider.id, sample_text(rows).encode()).error_count == 0


@pytest.mark.parametrize("column", [column for column in spec.SPEC if column.limit])
def test_each_limit_described_is_the_importers(session, people, column):
    provider = make_provider(session, account_pattern=r"[0-9A-Z]{1,60}")
    rows = _rows(_sample(session, people["admin"].id, provider.id).data)[:1]
    described = {each.name: each for each in _format(session, people["admin"].id, provider.id).columns}
    assert f"не длиннее {column.limit} символов" in described[column.name].forms
    for length, errors in ((column.limit, 0), (column.limit + 1, 1)):
        rows[0][column.name] = "7" * length
        assert _preview(session, provider.id, sample_text(rows).encode()).error_count == errors


@pytest.mark.parametrize(
    "column", [column for column in spec.SPEC if column.kind in (spec.ColumnKind.money, spec.ColumnKind.signed_money)]
)
def test_a_negative_amount_is_taken_only_where_the_format_says_so(session, people, column):
    provider = make_provider(session)
    rows = _rows(_sample(session, people["admin"].id, provider.id).data)[:1]
    rows[0][column.name] = "-10,50"
    errors = _preview(session, provider.id, sample_text(rows).encode()).error_count
    signed = column.kind is spec.ColumnKind.signed_money
    assert errors == (0 if signed else 1)
    described = {each.name: each for each in _format(session, people["admin"].id).columns}
    assert ("отрицательной" in described[column.name].forms) is signed


@pytest.mark.parametrize("form", spec.DATE_FORMATS)
@pytest.mark.parametrize("mark", spec.DECIMAL_MARKS)
@pytest.mark.parametrize("encoding", spec.ENCODINGS)
def test_each_date_form_decimal_mark_and_encoding_described_is_read_alike(session, people, form, mark, encoding):
    provider = make_provider(session)
    rows = _rows(_sample(session, people["admin"].id, provider.id).data)
    for row in rows:
        for column in spec.SPEC:
            if row[column.name] and column.kind is spec.ColumnKind.date:
                row[column.name] = dt.datetime.strptime(row[column.name], _form_of(row[column.name])).strftime(form)
            elif row[column.name] and column.kind in (spec.ColumnKind.money, spec.ColumnKind.reading):
                row[column.name] = row[column.name].replace(",", mark).replace(".", mark)
    data = sample_text(rows).encode(encoding)
    baseline = _sample(session, people["admin"].id, provider.id).data
    assert _preview(session, provider.id, data).counts() == _preview(session, provider.id, baseline).counts()


def _form_of(text: str) -> str:
    return spec.DATE_FORMATS[0] if "." in text else spec.DATE_FORMATS[1]


def test_the_empty_values_described_are_the_importers(session, people):
    described = {column.name: column for column in _format(session, people["admin"].id).columns}
    assert "0" in described["penalty"].empty
    assert spec.DEFAULT_DIGITS in described["meter_digits"].empty
    assert described["account"].empty == ""


def test_the_format_shows_the_providers_own_account_format(session, people):
    provider = make_provider(
        session, account_pattern=r"\d{9}", account_format_description="9 цифр", account_example="100200300"
    )
    described = _format(session, people["admin"].id, provider.id)
    account = described.columns[0]
    assert "9 цифр" in account.forms and account.example == "100200300"
    assert described.provider_name == provider.name
    assert described.example.splitlines()[0] == spec.SEPARATOR.join(registry.COLUMNS)


# --- the sample ----------------------------------------------------------------------


def test_the_sample_is_a_registry_the_preview_takes(session, people):
    provider = make_provider(
        session, account_pattern=r"\d{9}", account_format_description="9 цифр", account_example="100200300"
    )
    sample = _sample(session, people["admin"].id, provider.id)
    assert sample.filename == f"registry-sample-{provider.id}.csv"
    assert sample.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel opens the Cyrillic right
    preview = _preview(session, provider.id, sample.data)
    assert preview.errors == []
    assert (preview.accounts_new, preview.meters_new, preview.rows) == (ACCOUNTS, 3, 4)
    rows = _rows(sample.data)
    assert [row["account"] for row in rows] == ["100200300", "100200300", "100200301", "100200302"]
    assert all(any(row[name] for row in rows) for name in registry.COLUMNS)  # every column shown filled


def test_the_sample_never_names_a_stored_account(session, people):
    provider = make_provider(session, account_pattern=r"\d{9}", account_example="100200300")
    for number in ("100200300", "100200302"):
        make_account(session, provider, number=number)
    sample = _sample(session, people["admin"].id, provider.id)
    numbers = {row["account"] for row in _rows(sample.data)}
    assert numbers == {"100200301", "100200303", "100200304"}
    preview = _preview(session, provider.id, sample.data)
    assert (preview.errors, preview.accounts_new, preview.accounts_changed) == ([], ACCOUNTS, 0)


@pytest.mark.parametrize(
    ("pattern", "example", "checksum"),
    [
        (r"\d{8}", "51001238", AccountChecksum.luhn),
        (r"\d{2}[А-ЯЁ]{2}\d{6}", "12АБ345678", AccountChecksum.none),
        (r"ЛС-?\d{4}", "ЛС-0999", AccountChecksum.none),
        (r"[A-Z]{3}", "ABC", AccountChecksum.none),
    ],
)
def test_the_sample_fits_any_account_format(session, people, pattern, example, checksum):
    provider = make_provider(session, account_pattern=pattern, account_example=example, account_checksum=checksum)
    preview = _preview(session, provider.id, _sample(session, people["admin"].id, provider.id).data)
    assert preview.errors == []
    assert preview.accounts_new >= 1


def test_an_operator_gets_the_sample_of_their_provider_only(session, people):
    own, foreign = make_provider(session), make_provider(session)
    viewer = make_user(session)
    session.add(StaffMembership(user_id=viewer.id, provider_id=own.id, role=StaffRole.viewer))
    session.flush()
    assert _preview(session, own.id, _sample(session, viewer.id, own.id).data).error_count == 0
    assert _format(session, viewer.id, own.id).provider_name == own.name
    for provider_id in (foreign.id, 999_999, "abc", 0):
        with pytest.raises(DomainError, match="not_found"):
            _sample(session, viewer.id, provider_id)
        with pytest.raises(DomainError, match="not_found"):
            _format(session, viewer.id, provider_id)


@pytest.mark.parametrize("who", ["resident", None])
def test_anyone_but_staff_gets_neither(session, people, ids, who):
    actor = people[who].id if who else None
    with pytest.raises(DomainError, match="not_found"):
        _sample(session, actor, ids["provider"])
    with pytest.raises(DomainError, match="not_found"):
        _format(session, actor)


def test_both_are_entries_of_their_own_that_write_nothing(app_database, session, people, ids):
    session.commit()
    sample = registry_help.registry_sample(actor_id=people["admin"].id, provider_id=ids["provider"], now=NOW)
    assert registry_help.registry_format(actor_id=people["admin"].id, provider_id=ids["provider"], now=NOW).columns
    assert _preview(session, ids["provider"], sample.data).accounts_new == ACCOUNTS
    assert TODAY.replace(day=1).strftime("%d.%m.%Y") in sample.data.decode("utf-8-sig")
