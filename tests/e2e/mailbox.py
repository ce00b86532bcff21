"""Reads letters from the demo mailbox of a running app, as a resident would open them."""

from __future__ import annotations

import re
import time

import httpx


def wait_for_link(base_url: str, *, to: str, path: str, after: int = 0, timeout: float = 30) -> str:
    """The first `/<path>/<token>` link in a letter to `to`, among letters beyond the first `after`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        letters = httpx.get(f"{base_url}/dev/mailbox.json", params={"to": to}, timeout=5).json()
        if len(letters) > after:
            for letter in letters:  # newest first
                match = re.search(rf"{re.escape(base_url)}/{path}/[A-Za-z0-9_\-]+", letter["text"] or "")
                if match:
                    return match.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no /{path}/ letter to {to} within {timeout} s")


def count_letters(base_url: str, *, to: str) -> int:
    return len(httpx.get(f"{base_url}/dev/mailbox.json", params={"to": to}, timeout=5).json())
