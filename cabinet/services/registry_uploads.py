"""Registry files kept between «Проверить» and «Импортировать»; gone once refused, replaced, imported or a day old."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import uuid
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.services import registry
from cabinet.services.access import require_staff
from cabinet.services.admin import registry_import
from cabinet.services.transactions import transactional

logger = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20
# An upload nobody imported within a day was abandoned: the sweep removes it.
KEEP_FOR = dt.timedelta(days=1)
# The only names ever used here; a name from a browser's state is checked against it, so no other
# file — in this folder or outside it — can be opened or removed through one.
_NAME = re.compile(r"[0-9a-f]{32}\.csv")


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    """The preview of an uploaded registry; `name` is "" when the file was refused and is gone."""

    name: str
    preview: registry.RegistryPreview


def registry_uploads_folder() -> Path:
    """Where uploads wait: every worker of one host sees the same folder, whichever of them took the upload."""
    return get_settings().cabinet_data_dir / "registry-uploads"


def _folder(folder: Path | None) -> Path:
    return registry_uploads_folder() if folder is None else folder


def _path(name: str, folder: Path | None) -> Path:
    path = _folder(folder) / name
    if not _NAME.fullmatch(name) or not path.is_file():
        raise DomainError("registry_upload_gone")
    return path


def save_registry_upload(upload: BinaryIO, *, max_bytes: int, folder: Path | None = None) -> str:
    """Copies an uploaded file a chunk at a time (a registry runs to hundreds of megabytes); returns its name.

    DomainError("registry_too_large") past `max_bytes`, and then no file is left behind.
    """
    target = _folder(folder)
    target.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.csv"
    path = target / name
    written = 0
    try:
        with path.open("xb") as out:
            while chunk := upload.read(COPY_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise DomainError("registry_too_large", max_mb=max_bytes // (1024 * 1024))
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name


def discard_registry_upload(name: str, *, folder: Path | None = None) -> None:
    """Removes a kept upload; nothing for "" or a name that is not one of ours."""
    if _NAME.fullmatch(name):
        (_folder(folder) / name).unlink(missing_ok=True)


@transactional()
def check_registry_upload(
    *, session: Session, actor_id: int, provider_id: int, upload: BinaryIO, replacing: str, folder: Path | None = None
) -> CheckedUpload:
    """«Проверить»: keeps the file only while the preview finds it importable; the file it replaces goes."""
    # A stranger's, a viewer's or a foreign provider's bytes never reach the disk.
    require_staff(session, actor_id).provider_to_operate(session, provider_id)
    discard_registry_upload(replacing, folder=folder)
    name = save_registry_upload(upload, max_bytes=registry.size_limit(), folder=folder)
    try:
        preview = registry_import.preview_registry(
            session=session, actor_id=actor_id, provider_id=provider_id, source=_folder(folder) / name
        )
    except BaseException:
        discard_registry_upload(name, folder=folder)
        raise
    if preview.error_count:
        discard_registry_upload(name, folder=folder)
        name = ""
    return CheckedUpload(name, preview)


def import_registry_upload(
    *,
    actor_id: int,
    provider_id: int,
    name: str,
    now: dt.datetime,
    progress: registry.Progress | None = None,
    folder: Path | None = None,
) -> registry.RegistryPreview:
    """«Импортировать»: applies a checked upload in one transaction, then removes the file.

    Removed only after the commit: had the commit failed, the operator could try again with the same file.
    So this is no transaction's entry itself (it takes no `session`): the import below is, and commits on return.
    """
    path = _path(name, folder)
    result = _import_upload(actor_id=actor_id, provider_id=provider_id, path=path, now=now, progress=progress)
    discard_registry_upload(name, folder=folder)
    return result


@transactional()
def _import_upload(
    *,
    session: Session,
    actor_id: int,
    provider_id: int,
    path: Path,
    now: dt.datetime,
    progress: registry.Progress | None,
) -> registry.RegistryPreview:
    return registry_import.import_registry(
        session=session, actor_id=actor_id, provider_id=provider_id, source=path, now=now, progress=progress
    )


def sweep_registry_uploads(*, now: dt.datetime, folder: Path | None = None) -> int:
    """Removes uploads older than KEEP_FOR — previews left unimported, pages closed midway; returns how many."""
    target = _folder(folder)
    if not target.is_dir():
        return 0
    cutoff = (now - KEEP_FOR).timestamp()
    removed = 0
    for path in target.iterdir():
        try:
            stale = path.is_file() and path.stat().st_mtime < cutoff
        except FileNotFoundError:  # another worker's sweep, or an import, got there first
            continue
        if stale:
            path.unlink(missing_ok=True)
            removed += 1
    if removed:
        logger.info("Removed %s registry uploads older than %s", removed, KEEP_FOR)
    return removed
