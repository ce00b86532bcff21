"""A plain Reflex app (`reflex init --template blank`) served like ours: the benchmarks' reference."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.stand_ins import free_port

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@contextlib.contextmanager
def reference_app(
    *, prefix: str, source: str | None = None, app_name: str | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, Path]]:
    """Serves the blank app (its module replaced by `source` when given) with `reflex run --env prod`
    in a temporary folder; yields its URL and the app module's path.

    `app_name` names the app's package (its states' full names start with it; by default the folder's
    random name); `extra_env` is added to the app's environment after the cabinet's own variables are
    removed, e.g. DATABASE_URL for an app that reads the cabinet's database."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    env = {
        **os.environ,
        "REFLEX_BUN_PATH": str(PROJECT / "tools/js/node_modules/.bin/bun"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    for name in ("REFLEX_REDIS_URL", "REDIS_URL", "DATABASE_URL"):
        env.pop(name, None)
    env.update(extra_env or {})
    subprocess.run(
        [
            str(BIN / "reflex"),
            "init",
            "--template",
            "blank",
            "--no-agents",
            *(["--name", app_name] if app_name else []),
        ],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )
    app_module = next(path for path in folder.glob("*/*.py") if path.name != "__init__.py")
    if source is not None:
        app_module.write_text(source)
    port = free_port()
    log = (folder / "reflex.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "reflex"), "run", "--env", "prod", "--frontend-port", str(port)],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = (folder / "reflex.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"reflex exited with {process.returncode}:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            time.sleep(1)
        yield url, app_module
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
