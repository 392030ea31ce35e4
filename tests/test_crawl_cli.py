"""The real `article-archive crawl` command: a progress bar on a terminal, one line otherwise."""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from article_archive_sample.server import SampleSite

COMMAND = str(Path(sys.executable).with_name("article-archive"))
SUMMARY = re.compile(
    r"^discovered \d+, fetched \d+, new \d+, updated \d+, unchanged \d+, failed \d+, "
    r"absent \d+, skipped \d+, feeds not modified \d+(, media \d+ \(refused \d+\))? "
    r"in [\d.]+s$"
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def crawl_args(site: SampleSite, db: Path) -> list[str]:
    return [COMMAND, "crawl", site.base_url, "--db", str(db), "--delay", "0"]


def run_on_terminal(args: list[str], timeout: float = 60) -> tuple[int, str]:
    """Run ``args`` with stdin, stdout and stderr on a pseudo-terminal of 120 columns."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = os.read(master, 65536)
        except OSError as exc:  # EIO: the child closed the terminal
            if exc.errno != errno.EIO:
                raise
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = proc.wait(timeout=10)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(tmp_path):
    with SampleSite() as site:
        code, output = run_on_terminal(crawl_args(site, tmp_path / "a.db"))
    text = ANSI.sub("", output)
    assert code == 0, text
    # the final state of the bar: ten articles done out of ten known, the rate, the failures
    assert re.search(r"crawl .*10/10 articles · [\d.]+ art/s", text), text
    assert "new 10 · updated 0 · failed 0" in text
    assert SUMMARY.match(text.strip().splitlines()[-1].strip())


def test_one_summary_line_without_a_terminal(tmp_path):
    with SampleSite() as site:
        proc = subprocess.run(
            crawl_args(site, tmp_path / "a.db"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), proc.stdout
    assert "new 10," in lines[0]
