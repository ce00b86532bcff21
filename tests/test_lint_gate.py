"""The import contracts in pyproject.toml catch each arrow they forbid (tried on a copy of the package)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# (contract id, module given one more import, the import, what the report names)
VIOLATIONS = [
    ("ui-without-database", "cabinet/state/forgot.py", "import cabinet.db", "cabinet.state.forgot -> cabinet.db"),
    ("ui-without-database", "cabinet/pages/login.py", "import sqlmodel", "cabinet.pages.login -> sqlmodel"),
    (
        "ui-without-database",
        "cabinet/components/hint.py",
        "import cabinet.models",
        "cabinet.components.hint -> cabinet.models",
    ),
    ("sdks-in-gateways", "cabinet/services/mail.py", "import resend", "cabinet.services.mail -> resend"),
    ("sdks-in-gateways", "cabinet/sandbox/faults.py", "import yookassa", "cabinet.sandbox.faults -> yookassa"),
    (
        "gateways-below-services",
        "cabinet/gateways/resend.py",
        "import cabinet.services.mail",
        "cabinet.gateways.resend -> cabinet.services.mail",
    ),
    (
        "gateways-below-services",
        "cabinet/sandbox/faults.py",
        "import cabinet.state.forgot",
        "cabinet.sandbox.faults -> cabinet.state.forgot",
    ),
    (
        "layers",
        "cabinet/services/mail.py",
        "import cabinet.state.forgot",
        "cabinet.services.mail -> cabinet.state.forgot",
    ),
    ("services-without-reflex", "cabinet/services/mail.py", "import reflex", "cabinet.services.mail -> reflex"),
    (
        "api-without-ui",
        "cabinet/api/health.py",
        "import cabinet.state.forgot",
        "cabinet.api.health -> cabinet.state.forgot",
    ),
    (
        "pages-only-in-app",
        "cabinet/components/hint.py",
        "import cabinet.pages.login",
        "cabinet.components.hint -> cabinet.pages.login",
    ),
]


@pytest.fixture(scope="module")
def lint_copy(tmp_path_factory):
    """Lints a copy of the package with one import added; returns lint-imports' exit code and report."""

    def run(contract: str, module: str, line: str) -> tuple[int, str]:
        root = tmp_path_factory.mktemp("lint")
        shutil.copytree(PROJECT_ROOT / "cabinet", root / "cabinet", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
        with (root / module).open("a") as source:
            source.write(f"\n{line}  # added by tests/test_lint_gate.py\n")
        result = subprocess.run(
            [str(LINT_IMPORTS), "--no-cache", "--contract", contract],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.returncode, result.stdout + result.stderr

    return run


@pytest.mark.parametrize(("contract", "module", "line", "named"), VIOLATIONS, ids=[v[3] for v in VIOLATIONS])
def test_a_forbidden_import_breaks_its_contract(lint_copy, contract, module, line, named):
    returncode, report = lint_copy(contract, module, line)
    assert returncode == 1, report
    assert named in report, report
