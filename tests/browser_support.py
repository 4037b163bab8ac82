"""A real Streamlit server on loopback and Debian's Chromium, shared by the browser test and the
benchmark (benchmarks/browser.py puts this folder on sys.path)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_SECONDS = 60


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    script: Path,
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    cwd: Path = REPO_ROOT,
    port: int | None = None,
    options: Sequence[str] = (),
) -> Iterator[str]:
    """Run `streamlit run script` headless on a free loopback port; yield its base URL."""
    with streamlit_process(
        script, env=env, log_path=log_path, cwd=cwd, port=port, options=options
    ) as (base_url, _):
        yield base_url


@contextlib.contextmanager
def streamlit_process(
    script: Path,
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    cwd: Path = REPO_ROOT,
    port: int | None = None,
    options: Sequence[str] = (),
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `streamlit run script` headless on a free loopback port; yield its base URL and
    the server process (the Python process itself, so its memory can be read).

    Streamlit reads `.streamlit/config.toml` from `cwd`: the repository's (the app's settings)
    by default, none from a folder without one (Streamlit's defaults).

    `port` fixes the port when the caller must know it first (a sign-in redirect URI names it);
    `options` adds Streamlit command-line options (e.g. `--secrets.files=PATH`).

    The server runs in its own process group and is stopped (then killed if it lingers) on
    exit, so no server outlives the test or benchmark that started it.
    """
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        *options,
    ]
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base_url, process)
        yield base_url, process
    finally:
        _stop(process)
        if log_path:
            log.close()


def offline_sources(cache_dir: Path) -> dict[str, str]:
    """Environment for an app that starts offline: both live sources on a closed loopback port
    (refused at once, so no run touches the internet) and an empty fetch cache at `cache_dir`."""
    port = free_port()
    return {
        "FRONTLINE_ISW_URL": f"http://127.0.0.1:{port}/arcgis",
        "FRONTLINE_DEEPSTATE_URL": f"http://127.0.0.1:{port}/api",
        "FRONTLINE_CACHE_DIR": str(cache_dir),
    }


def read_only_offline_app(database_url: str, scratch: Path) -> dict[str, str]:
    """Environment for an app server on the store at `database_url` with no editor password, no
    snapshot folder and both live sources offline (fetch cache under `scratch`)."""
    return {
        "DATABASE_URL": database_url,
        **offline_sources(scratch / "cache"),
        "FRONTLINE_EDITOR_PASSWORD": "",
        "FRONTLINE_SNAPSHOTS": "",
    }


def launch_chromium(
    playwright, profile_dir: Path, *, width: int = 1280, height: int = 800, phone: bool = False
):
    """A headless Chromium context with a fresh profile at `profile_dir` and the given viewport;
    with `phone`, a touch screen and a phone's page scaling (so `page.tap` sends touch events)."""
    return playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": width, "height": height},
        has_touch=phone,
        is_mobile=phone,
    )


def _wait_until_healthy(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before serving")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer on {base_url} in {SERVER_START_TIMEOUT_SECONDS}s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
