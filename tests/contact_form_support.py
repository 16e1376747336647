"""What the contact-form example's tests share: its tools, its site build and its backend process.

Every missing tool is a failure naming the step that installs it, never a skip: a browser test
that silently does not run proves nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "contact-form"
SITE = EXAMPLE / "site"
BACKEND = EXAMPLE / "backend"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")

#: The flags this machine's closed network needs (no background calls to Google's hosts).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: `vschema codegen` as the example's README runs it, from the example's folder.
CODEGEN_ARGS = [
    "codegen",
    "schema.py",
    "--ts-out",
    "convex",
    "--py-out",
    "backend/schema_types.py",
    "--zod-out",
    "site/src/schema.zod.ts",
]

#: Touched after `npm ci`; the same stamp as the Makefile's, so either one's install counts.
SITE_STAMP = SITE / "node_modules" / ".vschema-installed"


def npm() -> str:
    found = shutil.which("npm")
    if found is None:
        pytest.fail("npm is not on PATH: install Node.js 20.19 or newer with npm")
    return found


def run(
    args: list[str], *, cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command; the caller asserts on the result."""
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "ASTRO_TELEMETRY_DISABLED": "1", **(env or {})},
    )


def ensure_site_installed() -> None:
    """`npm ci` in the site folder, unless it ran after package.json and its lock last changed."""
    sources = [SITE / "package.json", SITE / "package-lock.json"]
    if SITE_STAMP.is_file() and all(
        SITE_STAMP.stat().st_mtime >= source.stat().st_mtime for source in sources
    ):
        return
    command = [npm(), "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]
    result = run(command, cwd=SITE, timeout=600)
    if result.returncode != 0:
        # npm 11 now and then reports a tarball cut short by a slow registry as corrupted and
        # gives up; the second try finds most packages in its cache.
        result = run(command, cwd=SITE, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"npm ci in {SITE} failed:\n{result.stdout}\n{result.stderr}")
    SITE_STAMP.touch()


def site_tool(name: str) -> str:
    """A binary from the site's node_modules (astro, tsc), installed first if need be."""
    ensure_site_installed()
    path = SITE / "node_modules" / ".bin" / name
    if not path.exists():
        pytest.fail(f"{path} is missing after npm ci: is it in {SITE / 'package.json'}?")
    return str(path)


def build_site(out_dir: Path) -> Path:
    """`astro build` into ``out_dir``; returns it."""
    result = run([site_tool("astro"), "build", "--outDir", str(out_dir)], cwd=SITE, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"astro build failed:\n{result.stdout}\n{result.stderr}")
    assert (out_dir / "index.html").is_file(), result.stdout
    return out_dir


def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`apt-get update && apt-get install -y chromium` (make test does it when absent)"
        )
    return CHROMIUM


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def backend(
    database: Path, site: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[str]:
    """Run the example's backend under uvicorn on a free loopback port; yield its base URL.

    ``env`` adds environment variables (``CONTACT_FORM_BUSY_TIMEOUT``); the server's output goes
    to ``log`` (a file beside the database if not given), never to a pipe that nobody drains and
    that would stall a server logging many tracebacks. The process is always terminated, and its
    output is shown if it fails to start.
    """
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        pytest.fail(f"{error.name} is missing: pip install -e '.[dev]' (make test does it)")
    port = free_port()
    env = {
        **os.environ,
        "CONTACT_FORM_DB": str(database),
        "CONTACT_FORM_SITE": str(site),
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app:app",
        "--app-dir",
        str(BACKEND),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    log = log or database.with_name(f"{database.name}.server.log")
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"the backend exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/api/inquiries", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("the backend did not answer within 20 seconds")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = "application/json",
) -> tuple[int, Any]:
    """One HTTP request; returns the status and the JSON body (or the text if it is not JSON)."""
    status, _, answer = exchange(base, method, path, body, content_type)
    return status, answer


def exchange(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = "application/json",
    timeout: float = 10,
) -> tuple[int, dict[str, str], Any]:
    """`request`, with the answer's headers (names in lower case) between status and body.

    ``content_type`` goes with a body; None sends none (http.client, unlike urllib, adds none).
    """
    url = urllib.parse.urlsplit(base)
    headers = {"content-type": content_type} if body is not None and content_type else {}
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=timeout)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        status, raw = response.status, response.read()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    try:
        return status, answer_headers, json.loads(raw)
    except ValueError:
        return status, answer_headers, raw.decode("utf-8", "replace")
