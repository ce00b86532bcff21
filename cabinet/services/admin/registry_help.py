"""The registry format for staff (/admin/registry/format) and a sample file per provider.

Everything here is read from the importer's own definitions (services/registry/columns.py): the columns,
which are required, their kinds, limits and empty values, the separator, encodings, decimal marks and date
forms. A column added to the importer shows up here; one without a description fails the tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session

from cabinet import texts
from cabinet.models import Provider
from cabinet.services.access import require_staff
from cabinet.services.calendar import local_date
from cabinet.services.registry import columns as spec
from cabinet.services.registry.planning import size_limit
from cabinet.services.registry.sample import sample_file, sample_numbers, sample_rows, sample_text
from cabinet.services.transactions import transactional

TEXT = texts.REGISTRY_FORMAT
# Describes the format when no provider is chosen (staff of none, or none yet): ten digits, like most.
_ANY_PROVIDER = Provider(
    name="", account_pattern=r"\d{10}", account_format_description="10 цифр", account_example="1234567890"
)


@dataclasses.dataclass(frozen=True)
class ColumnHelp:
    """One column as the format page shows it."""

    name: str
    required: str  # "yes", "meter" or "no"
    required_label: str
    meaning: str
    forms: str
    empty: str  # what an empty cell means; "" for a required column
    example: str


@dataclasses.dataclass(frozen=True)
class RegistryFormat:
    provider_name: str
    rules: list[str]
    columns: list[ColumnHelp]
    example: str  # a whole sample file's text: the header and its rows
    steps: list[str]


@dataclasses.dataclass(frozen=True)
class SampleFile:
    filename: str
    data: bytes


def _or(items) -> str:
    return TEXT["or"].join(items)


def date_forms() -> list[str]:
    """The date forms the importer reads, as people write them: ДД.ММ.ГГГГ, ГГГГ-ММ-ДД."""
    forms = []
    for form in spec.DATE_FORMATS:
        for directive, letters in TEXT["date_parts"].items():
            form = form.replace(directive, letters)
        forms.append(form)
    return forms


def _marks() -> str:
    return _or(f"1234{mark}56" for mark in spec.DECIMAL_MARKS)


def _kind_names() -> str:
    """Each meter kind with the words the importer takes for it: «cold_water, хвс, холодная вода; …»."""
    groups: dict[str, list[str]] = {}
    for word, kind in spec.KIND_NAMES.items():
        groups.setdefault(kind.value, []).append(word)
    return "; ".join(", ".join(words) for words in groups.values())


def _forms(column: spec.Column, provider: Provider) -> str:
    kinds = TEXT["kinds"]
    if column.kind is spec.ColumnKind.text:
        kind = kinds["text_limit"].format(limit=column.limit) if column.limit else kinds["text"]
        if column.name == "account":
            return TEXT["account_forms"].format(kind=kind, format=provider.account_format_description)
        return kind
    return kinds[column.kind.value].format(marks=_marks(), formats=_or(date_forms()), kinds=_kind_names())


def _required(column: spec.Column) -> str:
    return "yes" if column.required else "meter" if column.required_for_meter else "no"


def _empty(column: spec.Column) -> str:
    if column.required:
        return ""
    if column.name in TEXT["empty_of"]:
        return TEXT["empty_of"][column.name]
    if column.required_for_meter:
        return TEXT["empty_meter"]
    return TEXT["empty_default"].format(default=column.default) if column.default else TEXT["empty_none"]


def _rules() -> list[str]:
    encodings = _or(TEXT["encodings"][codec] for codec in spec.ENCODINGS)
    values = dict(
        separator=spec.SEPARATOR,
        encodings=encodings,
        marks=_marks(),
        formats=_or(date_forms()),
        max_mb=size_limit() // (1024 * 1024),
    )
    return [rule.format(**values) for rule in TEXT["rules"]]


def describe(provider: Provider, *, today: dt.date, session: Session | None = None) -> RegistryFormat:
    """The format with the provider's account format, and its sample as the example."""
    rows = sample_rows(sample_numbers(session, provider), today=today)
    columns = []
    for column in spec.SPEC:
        required = _required(column)
        example = next((row[column.name] for row in rows if row[column.name]), "")
        columns.append(
            ColumnHelp(
                name=column.name,
                required=required,
                required_label=TEXT["required"][required],
                meaning=TEXT["meanings"][column.name],
                forms=_forms(column, provider),
                empty=_empty(column),
                example=example or TEXT["no_example"],
            )
        )
    return RegistryFormat(
        provider_name=provider.name,
        rules=_rules(),
        columns=columns,
        example=sample_text(rows),
        steps=list(TEXT["steps"]),
    )


@transactional()
def registry_format(*, session: Session, actor_id: int, provider_id: object, now: dt.datetime) -> RegistryFormat:
    """The format page: for one of the actor's providers, or in general when `provider_id` is empty."""
    scope = require_staff(session, actor_id)
    if provider_id in (None, ""):
        return describe(_ANY_PROVIDER, today=local_date(now))
    provider = scope.provider_to_see(session, provider_id)
    return describe(provider, today=local_date(now), session=session)


@transactional()
def registry_sample(*, session: Session, actor_id: int, provider_id: object, now: dt.datetime) -> SampleFile:
    """«Скачать пример»: a registry file the importer accepts, in the provider's account format; reads only."""
    provider = require_staff(session, actor_id).provider_to_see(session, provider_id)
    return SampleFile(
        filename=TEXT["sample_name"].format(id=provider.id),
        data=sample_file(session, provider, today=local_date(now)),
    )
