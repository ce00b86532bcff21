"""The «Мои данные» archive's files: data.json for programs, a CSV per section and index.html for people."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import zipfile

from cabinet import texts
from cabinet.money import format_rubles
from cabinet.services.calendar import local_time_text
from cabinet.services.exports import csv_bytes
from cabinet.services.meter_text import kind_label, thousandths_text
from cabinet.services.resident_data import SECTIONS, ResidentData, Row

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1c2024}"
    "table{border-collapse:collapse;width:100%;margin:0 0 2rem}th,td{border:1px solid #d9d9e0;padding:.35rem .5rem;"
    "text-align:left;vertical-align:top;font-size:.9rem}th{background:#f0f0f3}caption{text-align:left;"
    "font-weight:600;font-size:1.15rem;padding:.5rem 0}p{line-height:1.5}"
)


def archive_name(prepared_at: dt.datetime) -> str:
    return f"kabinet-moi-dannye-{prepared_at.date().isoformat()}.zip"


def render_archive(data: ResidentData) -> bytes:
    """The zip: data.json, index.html and one CSV per section, every file UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", _json(data))
        archive.writestr("index.html", _html(data))
        for key in SECTIONS:
            archive.writestr(f"{key}.csv", _csv(key, data.sections[key]))
    return buffer.getvalue()


def _json(data: ResidentData) -> str:
    document = {"prepared_at": data.prepared_at.isoformat(), **data.sections}
    return json.dumps(document, ensure_ascii=False, indent=2, default=_machine_value)


def _machine_value(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _columns(rows: list[Row]) -> list[str]:
    return list(rows[0]) if rows else []


def _header(column: str) -> str:
    return texts.DATA_ARCHIVE["columns"].get(column, column)


def shown(section: str, column: str, value: object) -> str:
    """A value in words, as a person reads it (the CSV and index.html)."""
    words = texts.DATA_ARCHIVE
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return words["yes" if value else "no"]
    if isinstance(value, dt.datetime):
        return local_time_text(value)
    if isinstance(value, dt.date):
        return value.strftime("%m.%Y")
    if column == "amount_kopecks":
        return format_rubles(int(str(value)))
    if column == "value_thousandths":
        return thousandths_text(int(str(value)), 3)
    named = {
        "consent": words["consents"],
        "event": words["events"],
        "purpose": words["purposes"],
        "source": texts.READING_SOURCES,
        "status": texts.PAYMENTS["refund_statuses" if section == "refunds" else "statuses"],
    }.get(column)
    if named is not None:
        return named.get(str(value), str(value))
    if column == "meter_kind":
        return kind_label(str(value))
    return str(value)


def _csv(section: str, rows: list[Row]) -> bytes:
    """«;» and UTF-8 with a BOM, as the other exports; a cell a spreadsheet would run as a formula (a nickname
    «=HYPERLINK(…)») is defused by `safe_cell`."""
    columns = _columns(rows)
    return csv_bytes(
        [_header(column) for column in columns],
        ([shown(section, column, row[column]) for column in columns] for row in rows),
    )


def _html(data: ResidentData) -> str:
    words = texts.DATA_ARCHIVE
    escape = html.escape
    title = words["title"].format(product=texts.PRODUCT_NAME)
    parts = [
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{escape(title)}</title>',
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_STYLE}</style></head><body>',
        f"<h1>{escape(title)}</h1><p>{escape(words['lead'].format(prepared=local_time_text(data.prepared_at)))}</p>",
    ]
    for key in SECTIONS:
        parts.append(_html_table(key, data.sections[key]))
    parts.append(f"<h2>{escape(words['policy_title'])}</h2>")
    parts += [f"<p>{escape(paragraph)}</p>" for paragraph in texts.POLICY_PARAGRAPHS]
    parts.append("</body></html>")
    return "".join(parts)


def _html_table(section: str, rows: list[Row]) -> str:
    escape = html.escape
    caption = escape(texts.DATA_ARCHIVE["sections"][section])
    if not rows:
        return f"<table><caption>{caption}</caption><tr><td>{escape(texts.DATA_ARCHIVE['empty'])}</td></tr></table>"
    columns = _columns(rows)
    head = "".join(f'<th scope="col">{escape(_header(column))}</th>' for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(shown(section, column, row[column]))}</td>" for column in columns) + "</tr>"
        for row in rows
    )
    return (
        f'<table id="{section}"><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
