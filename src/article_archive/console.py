"""What the command line needs besides parsing: which archive, a free port, a closed pipe.

Kept apart from ``cli/`` so that the commands stay thin wrappers.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

from article_archive.errors import UserError

DEFAULT_DB = "archive.db"
DEMO_DB = "demo.db"

#: The exit status of a program killed by SIGPIPE in a shell (128 + 13): ``… | head``.
BROKEN_PIPE_EXIT = 141


def missing_archive_message(path: Path, *, given: bool) -> str:
    """Why ``path`` cannot be read, pointing at the demo's archive when that is what exists."""
    demo = path.parent / DEMO_DB
    if not given and path.name == DEFAULT_DB and demo.is_file():
        return f"no archive at {path}; the demo's archive is {demo}: --db {demo}"
    return f"no archive at {path} (run `article-archive crawl URL --db {path}` first)"


def require_archive(path: Path, *, given: bool) -> None:
    """Refuse a missing archive file with a message that says which file and what to do."""
    if not path.is_file():
        raise UserError(missing_archive_message(path, given=given))


def bind_port(host: str, port: int, *, option: str = "--port") -> socket.socket:
    """A listening socket on ``host:port``; a busy or forbidden port is a one-line UserError.

    Binding before the server starts is what lets the error name the port (uvicorn only
    logs it and exits 3) and lets ``--port 0`` print the port actually chosen.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise UserError(port_problem(host, port, exc, option=option)) from None
    return sock


def port_problem(host: str, port: int, exc: OSError, *, option: str = "--port") -> str:
    """The one line said when ``host:port`` cannot be listened on."""
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use: stop what uses it or give another {option}"
    if exc.errno == errno.EACCES:
        return f"port {port} on {host} needs more rights: give a port above 1023 with {option}"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine: give another --host"
    return f"cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}"


def check_port_free(host: str, port: int, *, option: str = "--port") -> None:
    """Refuse a busy port before long work (the demo's crawl) that would end on it."""
    if port:
        bind_port(host, port, option=option).close()


def end_quietly_on_broken_pipe() -> None:
    """The reader of our output went away (``| head``): stop without a word, like cat does.

    Standard output is pointed at /dev/null first so that the interpreter's final flush
    does not raise again on the closed pipe.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's buffer)
        pass
    finally:
        os.close(devnull)
    sys.exit(BROKEN_PIPE_EXIT)


def page_address(html: bytes) -> str | None:
    """A saved page's own address: ``<link rel=canonical>``, else ``og:url`` (absolute only).

    ``extract FILE`` without ``--url`` makes the page's links absolute against it.
    """
    from lxml import html as lxml_html

    from article_archive.extract.metadata import page_metadata

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):  # empty or unparsable: no address
        return None
    return page_metadata(tree, None).get("canonical")
