"""Make the README's screenshots from the demo archive (the sample site, crawled for real).

Run: .venv/bin/python scripts/screenshots.py   (needs Debian's /usr/bin/chromium)
Writes docs/screenshots/{front,search,reader,reader-phone,not-found,search-fr}.png; the last is
the archive as a browser set to French sees it (the interface follows Accept-Language).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from article_archive.demo import build_demo_archive
from article_archive_sample import SampleSite

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The seed-shaped article of the sample site: long analysis, sommaire, notes, earlier date.
READER_SPIP_ID = 15


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen) -> None:
    """Wait until the server answers, or fail when it died."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("the server did not start")


def main() -> None:
    """Build the demo archive, serve it, and photograph its pages (one in French)."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, SampleSite(port=free_port()) as site:
        db_path = Path(tmp) / "demo.db"
        print(build_demo_archive(db_path, site=site))
        port = free_port()
        code = (
            "import sys; from article_archive.web.serve import serve; "
            "serve(sys.argv[1], port=int(sys.argv[2]))"
        )
        proc = subprocess.Popen([sys.executable, "-c", code, str(db_path), str(port)])
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/", proc)
            article = httpx.get(
                f"{base}/demo/articles.json?spip_id={READER_SPIP_ID}&_shape=array"
            ).json()[0]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                desk = browser.new_page(viewport={"width": 1280, "height": 900})
                desk.goto(base + "/")
                desk.screenshot(path=str(OUT / "front.png"))
                desk.goto(base + "/demo/search?q=nucl%C3%A9aires")
                desk.screenshot(path=str(OUT / "search.png"))
                desk.goto(f"{base}/demo/articles/{article['id']}/read")
                desk.screenshot(path=str(OUT / "reader.png"))
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.goto(f"{base}/demo/articles/{article['id']}/read")
                phone.screenshot(path=str(OUT / "reader-phone.png"))
                desk.goto(base + "/no/such/page")
                desk.screenshot(path=str(OUT / "not-found.png"))
                french = browser.new_context(
                    viewport={"width": 1280, "height": 900}, locale="fr-FR"
                ).new_page()
                french.goto(base + "/demo/search?q=gr%C3%A8ve")
                french.screenshot(path=str(OUT / "search-fr.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
