"""The control endpoints against a real browser (headless Chromium): a page on another
origin cannot read the state or reset the server, and a name rebound to 127.0.0.1
cannot read it either, while the developer's own visit to the loopback URL can.

Chromium resolves ``*.test`` names to 127.0.0.1 (``--host-resolver-rules``), so the
attacker's page and the rebound name are real origins to the browser without DNS.
``scripts/test`` installs Debian's ``chromium`` where it can; elsewhere these skip.
"""

from __future__ import annotations

import html
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudmock.core.http import Request, Response
from cloudmock.server import ServerThread

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium here")

#: what the attacker's page tries; each writes its outcome into the page
ATTACK_PAGE = """<!doctype html>
<html><body>
<pre id="read">pending</pre>
<iframe name="sink"></iframe>
<form id="form" method="POST" action="{target}/_cloudmock/reset" target="sink"
      enctype="text/plain"><input name='{{"x":"' value='"}}'></form>
<script>
const target = "{target}";
async function attack() {{
  // a simple cross-origin POST needs no preflight: the browser sends it as is
  await fetch(target + "/_cloudmock/reset", {{
    method: "POST", mode: "no-cors", body: "{{}}", headers: {{"Content-Type": "text/plain"}}
  }}).catch(() => null);
  try {{
    const reply = await fetch(target + "/_cloudmock/state");
    document.getElementById("read").textContent = "READ " + await reply.text();
  }} catch (error) {{
    document.getElementById("read").textContent = "unreadable";
  }}
  document.getElementById("form").submit();
}}
attack();
</script>
</body></html>
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ServerThread, list[Request]]]:
    """A server with one instance, noting every control request that reaches it."""
    with ServerThread() as running:
        seen: list[Request] = []
        answer = running.app.answer

        def noting(request: Request) -> Response:
            if request.path.startswith("/_cloudmock/"):
                seen.append(request)
            return answer(request)

        running.app.answer = noting  # type: ignore[method-assign]
        ec2(running).run_instances(ImageId="ami-f00ba4", MinCount=1, MaxCount=1)
        yield running, seen


def ec2(server: ServerThread) -> Any:
    return boto3.client(
        "ec2",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def instance_ids(server: ServerThread) -> list[str]:
    reservations = ec2(server).describe_instances()["Reservations"]
    return [i["InstanceId"] for r in reservations for i in r["Instances"]]


def visit(url: str, profile: Path) -> str:
    """The page's DOM once its scripts and requests are done."""
    assert CHROMIUM is not None
    run = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP *.test 127.0.0.1",
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return run.stdout


class _AttackerPages(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def attacker() -> Iterator[tuple[type[_AttackerPages], int]]:
    pages = type("Pages", (_AttackerPages,), {})
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), pages)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield pages, site.server_address[1]
    finally:
        site.shutdown()
        site.server_close()


def test_a_cross_origin_page_can_neither_read_the_state_nor_reset(server, attacker, tmp_path):
    running, seen = server
    pages, port = attacker
    pages.page = ATTACK_PAGE.format(target=running.url).encode()
    before = instance_ids(running)
    dom = visit(f"http://attacker.test:{port}/", tmp_path / "profile")
    assert 'id="read">unreadable<' in dom, dom[:2000]
    # the browser did send its requests: the server refused them
    resets = [r for r in seen if r.path == "/_cloudmock/reset"]
    assert len(resets) == 2  # the fetch and the form
    assert all(r.headers.get("origin") == f"http://attacker.test:{port}" for r in resets)
    assert instance_ids(running) == before and before


def test_a_rebound_name_cannot_read_the_state(server, tmp_path):
    running, seen = server
    ids = instance_ids(running)
    dom = visit(f"http://rebound.test:{running.port}/_cloudmock/state", tmp_path / "profile")
    assert not any(i in dom for i in ids), dom[:2000]
    assert "host" in json.loads(html.unescape(_pre_text(dom)))["error"].lower()
    assert seen and seen[-1].headers.get("host") == f"rebound.test:{running.port}"


def test_the_developers_own_visit_reads_the_state(server, tmp_path):
    running, _ = server
    ids = instance_ids(running)
    dom = visit(f"http://127.0.0.1:{running.port}/_cloudmock/state", tmp_path / "profile")
    assert ids and all(i in dom for i in ids), dom[:2000]


def _pre_text(dom: str) -> str:
    """The text Chromium shows a JSON (or plain) answer in."""
    start = dom.index("<pre")
    return dom[dom.index(">", start) + 1 : dom.index("</pre>", start)]
