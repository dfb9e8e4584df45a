"""Open JupyterLab in headless Chromium, run the quickstart notebook through the UI, check its outputs.

Uses Debian's Chromium through Playwright's ``executable_path`` (no browser download). The test
is skipped, with its reason, where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOK = "00_quickstart.ipynb"
ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def start_jupyterlab(tmp_path: Path, root: Path) -> Iterator[tuple[str, str]]:
    """A JupyterLab server on 127.0.0.1 serving ``root``; yields its base URL and token."""
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")  # no user settings, no announcements
    # Render every cell (JupyterLab 4 otherwise renders only the cells in view).
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "settings")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start on 127.0.0.1 within 60 s")
            time.sleep(0.5)
    try:
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def launch_chromium(playwright: Any) -> tuple[Any, Any, list[str]]:
    """Headless Chromium with one page whose requests off 127.0.0.1 are blocked and recorded."""
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # Any request off this machine would be a bug: block and record it.
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    return browser, page, outside


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving a copy of the notebooks; yields its base URL."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    with start_jupyterlab(tmp_path, tmp_path / "notebooks") as server:
        yield server


def test_quickstart_runs_in_jupyterlab(jupyterlab):
    sync_api = pytest.importorskip("playwright.sync_api")
    source = ROOT / "notebooks" / NOTEBOOK
    base, token = jupyterlab
    with sync_api.sync_playwright() as playwright:
        browser, page, outside = launch_chromium(playwright)
        try:
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
            n_code = sum(c["cell_type"] == "code" for c in json.loads(source.read_text())["cells"])
            page.wait_for_function(
                f"document.querySelectorAll('.jp-CodeCell .jp-InputPrompt').length >= {n_code}",
                timeout=60_000,
            )
            # no kernel-selection dialog may appear: the kernelspec resolves by itself
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
            assert page.locator(".jp-Dialog").count() == 0

            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            code_prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
            deadline = time.monotonic() + 240
            while True:
                prompts = [code_prompts.nth(i).inner_text() for i in range(n_code)]
                done = all(p.strip().startswith("[") and p.strip()[1:-2].isdigit() for p in prompts)
                if done:
                    break
                assert time.monotonic() < deadline, f"cells did not finish: {prompts}"
                time.sleep(1)

            errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
            stderr = page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.all_inner_texts()
            assert stderr.count() == 0, stderr.all_inner_texts()
            # the figure rendered with its alt text, and the counts by lean are shown
            figures = page.locator(".jp-OutputArea-output img[alt]")
            assert figures.count() >= 1
            assert "line chart" in (figures.first.get_attribute("alt") or "")
            outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
            assert "1695" in outputs and "1132" in outputs
            assert outside == []
        finally:
            browser.close()
