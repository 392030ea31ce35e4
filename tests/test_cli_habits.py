"""The command line as people use it: which archive, busy ports, pipes into head, plain errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from article_archive.cli import cli
from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.fetch.client import HttpClient
from article_archive_sample.server import SampleSite

COMMAND = str(Path(sys.executable).with_name("article-archive"))
FAST = {"delay": 0, "retries": 0, "backoff": 0.01, "progress": False}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the sample site's home-page articles, by a real crawl."""
    path = tmp_path_factory.mktemp("crawled") / "crawled.db"
    with SampleSite() as site:
        run_crawl(path, [site.base_url], CrawlOptions(**FAST))
    return path


@pytest.fixture
def busy_port() -> socket.socket:
    """A port some other program listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield sock
    sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_status_without_db_names_the_archive_and_finds_the_demos(crawled, tmp_path) -> None:
    (tmp_path / "demo.db").write_bytes(crawled.read_bytes())
    result = subprocess.run(
        [COMMAND, "status"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Using archive archive.db" in result.stderr
    assert "the demo's archive is demo.db: --db demo.db" in result.stderr
    assert "Traceback" not in result.stderr


def test_status_with_db_does_not_say_which_archive(crawled) -> None:
    result = subprocess.run(
        [COMMAND, "status", "--db", str(crawled)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Using archive" not in result.stderr
    assert result.stdout.startswith("Articles:")


def test_missing_explicit_archive_does_not_point_at_the_demo(tmp_path) -> None:
    (tmp_path / "demo.db").write_bytes(b"")
    result = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "archive.db")])
    assert result.exit_code == 1
    assert "demo" not in result.output


def serve_until_address(args: list[str]) -> tuple[subprocess.Popen, str]:
    """Start ``article-archive serve …`` and read the address it prints."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    return proc, line


def get_when_up(address: str) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(address, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("how", ["--db", "positional"])
def test_serve_takes_db_either_way_and_prints_the_address(crawled, how) -> None:
    where = ["--db", str(crawled)] if how == "--db" else [str(crawled)]
    proc, line = serve_until_address([COMMAND, "serve", *where, "--port", "0"])
    try:
        assert line.startswith(f"Serving {crawled} at http://127.0.0.1:"), line
        address = line.split(" at ", 1)[1].split()[0]
        assert not address.endswith(":0/")
        assert get_when_up(address).status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_serve_several_archives(crawled, tmp_path) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(crawled.read_bytes())
    args = [COMMAND, "serve", str(crawled), "--db", str(other), "--port", "0"]
    proc, line = serve_until_address(args)
    try:
        assert line.startswith(f"Serving {crawled}, {other} at "), line
        address = line.split(" at ", 1)[1].split()[0]
        assert get_when_up(f"{address}crawled/articles.json").status_code == 200
        assert get_when_up(f"{address}other/articles.json").status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_serve_on_a_busy_port_names_it_and_exits_1(crawled, busy_port) -> None:
    port = busy_port.getsockname()[1]
    result = subprocess.run(
        [COMMAND, "serve", "--db", str(crawled), "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: port {port} on 127.0.0.1 is in use: stop what uses it or give another --port"
    )


def test_demo_on_a_busy_site_port_names_it(tmp_path, busy_port) -> None:
    port = busy_port.getsockname()[1]
    args = ["demo", "--db", str(tmp_path / "demo.db"), "--no-serve", "--site-port", str(port)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: port {port} on 127.0.0.1 is in use: stop what uses it or give another --site-port"
    ]


def test_demo_on_a_busy_serve_port_says_so_before_crawling(tmp_path, busy_port) -> None:
    port = busy_port.getsockname()[1]
    args = ["demo", "--db", str(tmp_path / "demo.db"), "--port", str(port)]
    result = CliRunner().invoke(cli, [*args, "--site-port", str(free_port())])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert not (tmp_path / "demo.db").exists()


@pytest.mark.parametrize(
    ("args", "statuses"),
    [
        # 10 articles make some 90 KB of JSON lines: more than a pipe holds, so head's exit
        # breaks the pipe under the writer (141, as a shell reports SIGPIPE).
        (["export", "--format", "jsonl"], {141}),
        (["export", "--format", "csv"], {0, 141}),
        (["status"], {0, 141}),
    ],
)
def test_piping_into_head_ends_quietly(crawled, args, statuses) -> None:
    command = " ".join([COMMAND, *args, "--db", str(crawled)])
    result = subprocess.run(
        ["bash", "-c", f"{command} | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert int(result.stdout) in statuses
    assert result.stderr == ""


def test_export_into_a_closed_pipe_exits_quietly(crawled) -> None:
    proc = subprocess.Popen(
        [COMMAND, "export", "--format", "jsonl", "--db", str(crawled)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout and proc.stderr
    proc.stdout.read(10)
    proc.stdout.close()  # like head, after its first bytes
    proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    # The archive's rows (some KB each) outgrow the 64 KB pipe: the writer meets the close.
    assert proc.returncode in (0, 141), err
    assert err == ""


def test_a_refused_connection_is_said_in_plain_words() -> None:
    port = free_port()  # nothing listens there any more
    client = HttpClient(retries=0, delay=0, ignore_robots=True)
    with pytest.raises(Exception) as caught:
        client.fetch(f"http://127.0.0.1:{port}/page")
    assert str(caught.value) == "connection refused"


def test_a_crawl_of_a_dead_site_reports_no_class_names(tmp_path) -> None:
    port = free_port()
    result = subprocess.run(
        [COMMAND, "crawl", f"http://127.0.0.1:{port}/", "--db", str(tmp_path / "a.db"), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "connection refused" in result.stderr
    assert "Error" not in result.stderr.replace("Error: ", "", 1)
    assert "ConnectError" not in result.stderr + result.stdout
    status = subprocess.run(
        [COMMAND, "status", "--db", str(tmp_path / "a.db")], capture_output=True, text=True
    )
    assert "connection refused" in status.stdout
    assert "Error" not in status.stdout


def test_a_read_timeout_says_how_long_was_waited() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts connections, never answers
    port = listener.getsockname()[1]
    try:
        client = HttpClient(retries=0, delay=0, ignore_robots=True, timeout=0.5)
        with pytest.raises(Exception) as caught:
            client.fetch(f"http://127.0.0.1:{port}/slow")
    finally:
        listener.close()
    assert str(caught.value) == "timed out after 0.5 s"


SPIP_PAGE = """<html lang="fr"><head><meta charset="utf-8"><title>Essai - Site</title>
<meta name="generator" content="SPIP 3.2.7 [24473]">{head}</head><body>
<div class="cartouche"><h1 class="entry-title crayon article-titre-7">Un titre d'essai</h1>
<p class="info-publi"><abbr class="published" title="2024-05-01T08:00:00Z">1er mai 2024</abbr>
</p></div>
<div class="crayon article-texte-7 texte">
<p>Premier paragraphe, qui renvoie à <a href="spip.php?article8">un autre article</a>
et à <a href="/IMG/pdf/rapport.pdf">un rapport</a>.</p>
<p>Second paragraphe.</p></div></body></html>"""


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="canonical" href="https://site.example/revue/spip.php?article7">',
        '<meta property="og:url" content="https://site.example/revue/spip.php?article7">',
    ],
)
def test_extract_without_url_uses_the_pages_own_address(tmp_path, head) -> None:
    page = tmp_path / "saved.html"
    page.write_text(SPIP_PAGE.format(head=head), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["url"] == "https://site.example/revue/spip.php?article7"
    assert 'href="https://site.example/revue/spip.php?article8"' in data["body_html"]
    assert 'href="https://site.example/IMG/pdf/rapport.pdf"' in data["body_html"]


def test_extract_url_option_wins_over_the_canonical_address(tmp_path) -> None:
    page = tmp_path / "saved.html"
    head = '<link rel="canonical" href="https://site.example/revue/spip.php?article7">'
    page.write_text(SPIP_PAGE.format(head=head), encoding="utf-8")
    args = ["extract", str(page), "--url", "https://mirror.example/spip.php?article7"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)["body_html"]
    assert 'href="https://mirror.example/spip.php?article8"' in body


def test_the_sample_site_runs_under_the_products_name() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "article_archive.sample", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Serve the fake SPIP sample site" in result.stdout
