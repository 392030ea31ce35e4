"""What a crawl tells cron and the person at the keyboard: exit 3, capped Crawl-delay, bad input."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from article_archive.fetch.politeness import Politeness
from servers import Reply, ScriptedServer, free_port

CLI = [sys.executable, "-m", "article_archive.cli"]
ARTICLE = (
    "<html lang='en'><head><title>A</title></head><body><article><h1>Alpha</h1>"
    + "<p>Some words of an article body that is long enough to count.</p>" * 20
    + "</article></body></html>"
)


def _crawl(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [*CLI, "crawl", *args, "--db", str(db), "--quiet", "--delay", "0"]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_an_unreachable_site_exits_3_and_says_why(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = _crawl(tmp_path / "a.db", url)
    assert result.returncode == 3
    assert "nothing could be fetched" in result.stderr
    assert "cannot reach 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_first_url_answering_404_exits_3(tmp_path: Path) -> None:
    with ScriptedServer() as server:
        server.route(
            "/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain")
        )
        result = _crawl(tmp_path / "a.db", server.url("/gone.html"))
    assert result.returncode == 3
    assert "gone.html" in result.stderr


def test_a_site_that_answers_exits_0(tmp_path: Path) -> None:
    with ScriptedServer() as server:
        server.route("/a.html", Reply(200, ARTICLE))
        result = _crawl(tmp_path / "a.db", server.url("/a.html"))
    assert result.returncode == 0, result.stderr
    assert "new 1" in result.stdout


def test_a_day_long_crawl_delay_is_capped_and_said(tmp_path: Path) -> None:
    robots = "User-agent: *\nCrawl-delay: 86400\nAllow: /\n"
    with ScriptedServer() as server:
        server.route("/robots.txt", Reply(200, robots, content_type="text/plain"))
        for name in ("a", "b"):
            server.route(f"/{name}.html", Reply(200, ARTICLE.replace("Alpha", name)))
        started = time.monotonic()
        result = _crawl(
            tmp_path / "a.db",
            server.url("/a.html"),
            server.url("/b.html"),
            "--max-crawl-delay",
            "0.5",
        )
        took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "new 2" in result.stdout
    assert "Crawl-delay 86400" in result.stderr and "--honor-crawl-delay" in result.stderr
    assert result.stderr.count("Crawl-delay 86400") == 1  # said once per host, not per page
    assert took < 30


def test_politeness_caps_crawl_delay_unless_told_to_honor_it() -> None:
    capped = Politeness(0.0, max_crawl_delay=30.0)
    capped.set_crawl_delay("example.org", 86400)
    assert capped.gap("example.org") == 30.0
    honored = Politeness(0.0, max_crawl_delay=None)
    honored.set_crawl_delay("example.org", 86400)
    assert honored.gap("example.org") == 86400.0
    small = Politeness(0.0, max_crawl_delay=30.0)
    small.set_crawl_delay("example.org", 5)
    assert small.gap("example.org") == 5.0


@pytest.mark.parametrize(
    "args",
    [
        ["crawl", "http://[::1"],
        ["crawl", "http://127.0.0.1:99999/"],
        ["crawl", "http://[v1.fe]/"],
        ["crawl", "https://example.org/", "--delay", "inf"],
        ["crawl", "https://example.org/", "--delay", "nan"],
        ["crawl", "https://example.org/", "--concurrency", "100000"],
        ["reparse", "--workers", "100000000"],
    ],
)
def test_bad_input_is_one_line_without_traceback(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        [*CLI, *args, "--db", str(tmp_path / "a.db")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert not (tmp_path / "a.db").exists()


# The CLI sets logging up, runs the command, then a library under the extractor warns as it
# does once per page (bs4's UnicodeDammit when it had to replace characters).
LOUD_LIBRARY = (
    "import logging, sys\n"
    "from article_archive.cli import cli\n"
    "cli(sys.argv[1:], prog_name='article-archive', standalone_mode=False)\n"
    "logging.getLogger('bs4.dammit').warning('Some characters could not be decoded')\n"
    "logging.getLogger('article_archive.crawl').warning('our own warning')\n"
)


@pytest.mark.parametrize(("flags", "shown"), [([], False), (["-v"], True)])
def test_per_page_library_warnings_stay_off_the_terminal(
    tmp_path: Path, flags: list[str], shown: bool
) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(ARTICLE.replace("Alpha", "Caf\u00e9").encode("cp1252"))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            LOUD_LIBRARY,
            *flags,
            "extract",
            str(page),
            "--url",
            "https://e.org/",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert ("could not be decoded" in result.stderr) is shown
    assert "our own warning" in result.stderr
