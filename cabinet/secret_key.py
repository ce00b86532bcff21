"""The secret key generated on first start when SECRET_KEY is unset, kept in the data folder."""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path


@functools.cache
def generated_secret_key(data_dir: Path) -> str:
    """The key generated on first start and kept in data_dir/secret_key (SECRET_KEY unset)."""
    # Cached: a registry import hashes every PIN with it, and reading the file each time cost more
    # than the hashing. The file only ever holds its first key, so the cached one cannot go stale;
    # `generated_secret_key.cache_clear()` makes the next call read the file again.
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two workers start at once, the first one's key wins for both.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
