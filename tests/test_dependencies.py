"""The locks agree with requirements*.txt: `make run` and `make test` install what the requirements name."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    text = (PROJECT_ROOT / name).read_text()
    return {re.sub(r"[-_.]+", "-", package).lower(): version for package, version in _PIN.findall(text)}


def test_every_requirement_is_locked_at_its_version():
    """Fails after editing requirements*.txt without `make lock` (README: «Dependencies»)."""
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: runtime.get(name) for name in _pins("requirements.txt")} == _pins("requirements.txt")
    assert {name: dev.get(name) for name in _pins("requirements-dev.txt")} == _pins("requirements-dev.txt")


def test_the_test_lock_keeps_every_runtime_pin():
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_every_locked_package_carries_hashes():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (PROJECT_ROOT / lock).read_text())
        unhashed = [entry.split()[0] for entry in entries if "==" in entry and "--hash=sha256:" not in entry]
        assert unhashed == [], lock
