"""Serve the sample SPIP site on loopback with SPIP's URL behaviour, caching headers and gzip."""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import threading
import time
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from article_archive_sample import feeds, listings
from article_archive_sample.layout import Page, composed_by, http_date
from article_archive_sample.render import render_article
from article_archive_sample.site import Site, load_site

__all__ = ["RequestRecord", "SampleSite", "default_site_dir", "route", "serve_forever"]

log = logging.getLogger(__name__)

_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".mp3": "audio/mpeg",
}
_CACHE_SIZE = 5000  # rendered pages kept per site version (query strings are unbounded)
_CSS = "body{font-family:sans-serif;max-width:60em;margin:auto}.aside{color:#444}"


def default_site_dir() -> Path:
    """The bundled sample site: inside the installed package, else the repository's data/."""
    package = Path(__file__).resolve().parent
    bundled = package / "site"
    if (bundled / "site.toml").is_file():
        return bundled
    return package.parent.parent / "data" / "sample-site"


class RequestRecord(NamedTuple):
    """One request the sample server answered."""

    method: str
    path: str
    headers: dict[str, str]
    status: int
    time: float


def _redirect(location: str) -> Page:
    return Page(body="", status=301, headers={"Location": location})


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def route(site: Site, base_url: str, target: str) -> Page:
    """Answer one request target (path + query) as the SPIP site would."""
    parts = urlsplit(target)
    path = unquote(parts.path).lstrip("/")
    raw_query = parts.query
    params = dict(parse_qsl(raw_query, keep_blank_values=True))
    debut = _int(params.get("debut_articles")) or 0
    if path in ("spip.php", "", "index.php") and raw_query:
        shortcut = re.fullmatch(r"(article|rubrique|auteur|mot)(\d+)", raw_query.split("&")[0])
        if shortcut:
            return _object_redirect(site, base_url, shortcut.group(1), int(shortcut.group(2)))
        page = params.get("page", "")
        if page in ("article", "rubrique", "auteur", "mot"):
            return _object_redirect(site, base_url, page, _int(params.get(f"id_{page}")))
        if page == "backend":
            return feeds.render_backend(site, base_url, params)
        if page == "sitemap.xml":
            return feeds.render_sitemap(site, base_url)
        if page == "plan":
            return listings.render_plan(site, base_url)
        if page == "forum":
            art = site.article(_int(params.get("id_article")) or 0)
            return listings.render_forum(site, art) if art else listings.render_home(site, base_url)
        if page in ("sommaire", ""):
            return listings.render_home(site, base_url)
        return listings.render_404(site)
    if path in ("", "spip.php", "index.php"):
        return listings.render_home(site, base_url)
    legacy = re.fullmatch(r"(article|rubrique|auteur|mot)\.php3?", path)
    if legacy:
        kind = legacy.group(1)
        return _object_redirect(site, base_url, kind, _int(params.get(f"id_{kind}")))
    html_form = re.fullmatch(r"(article|rubrique|auteur|mot)(\d+)\.html", path)
    if html_form:
        return _object_redirect(site, base_url, html_form.group(1), int(html_form.group(2)))
    if path.isdigit():
        return _object_redirect(site, base_url, "article", int(path))
    if path == "robots.txt":
        return feeds.render_robots(base_url)
    if path == "sitemap.xml":
        return feeds.render_sitemap(site, base_url)
    if path.startswith("squelettes-dist/css/"):
        return Page(body=_CSS, content_type="text/css")
    if path.startswith("IMG/"):
        return _file(site, path)
    for rub in site.rubriques.values():
        if path == rub.url:
            return listings.render_rubrique(site, rub.id, base_url, debut)
    for author in site.authors.values():
        if path == author.url:
            return listings.render_author(site, author.id, base_url, debut)
    for mot in site.keywords.values():
        if path == mot.url:
            return listings.render_keyword(site, mot.id, base_url, debut)
    art = site.article_by_slug(path)
    if art is not None:
        return render_article(site, art, base_url)
    return listings.render_404(site)


def _object_redirect(site: Site, base_url: str, kind: str, number: int | None) -> Page:
    """301 to a published object's readable URL; SPIP answers the home page otherwise."""
    url: str | None = None
    if number is not None:
        if kind == "article":
            art = site.article(number)
            url = art.url if art else None
        else:
            tables: dict[str, dict[int, Any]] = {
                "rubrique": site.rubriques,
                "auteur": site.authors,
                "mot": site.keywords,
            }
            obj = tables[kind].get(number)
            url = obj.url if obj is not None else None
    if url is None:
        return listings.render_home(site, base_url)
    return _redirect(base_url + url)


def _file(site: Site, path: str) -> Page:
    assert site.root is not None
    root = site.root.resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        return listings.render_404(site)
    page = Page(body="", content_type=_TYPES.get(target.suffix.lower(), "application/octet-stream"))
    page.headers["X-Sample-File"] = str(target)
    return page


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "Apache/2.4.57"
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def version_string(self) -> str:
        """The ``Server`` header: an Apache, as in front of most SPIP sites."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _answer(self, *, head: bool) -> None:
        owner = self.server.owner
        try:
            site = load_site(owner.site_dir)
            page = owner._page(site, self.path)
        except Exception:  # a broken sample file must not kill the server thread
            log.exception("sample site failed on %s", self.path)
            page = Page(body="Internal error\n", status=500, content_type="text/plain")
        status, headers, body = _encode(page, dict(self.headers.items()))
        # recorded before answering, so a client that got its answer also finds the record
        owner._record(self.command, self.path, dict(self.headers.items()), status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head and status not in (204, 304):
            self.wfile.write(body)


def _encode(page: Page, request: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and bytes of a page for this request (charset, 304, gzip)."""
    req = {k.lower(): v for k, v in request.items()}
    headers = {"Composed-By": composed_by(page.spip_version), **page.headers}
    sample_file = headers.pop("X-Sample-File", None)
    if sample_file:
        body = Path(sample_file).read_bytes()
        content_type = page.content_type
    else:
        body = page.body.encode(page.charset, "xmlcharrefreplace")
        content_type = f"{page.content_type}; charset={page.charset}"
        if page.content_type == "application/xml":
            content_type = page.content_type
    if page.status == 301:
        headers["Content-Length"] = "0"
        return 301, headers, b""
    headers["Content-Type"] = content_type
    if page.conditional:
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers["ETag"] = etag
        if page.last_modified:
            headers["Last-Modified"] = http_date(page.last_modified)
        if _not_modified(req, etag, page):
            return 304, {k: v for k, v in headers.items() if k != "Content-Type"}, b""
    headers["Vary"] = "Accept-Encoding"
    if _accepts_gzip(req.get("accept-encoding", "")) and len(body) > 200 and not sample_file:
        body = gzip.compress(body, mtime=0)
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(body))
    return page.status, headers, body


def _not_modified(req: dict[str, str], etag: str, page: Page) -> bool:
    if "if-none-match" in req:
        tags = [t.strip().removeprefix("W/") for t in req["if-none-match"].split(",")]
        return etag in tags or "*" in tags
    if "if-modified-since" in req and page.last_modified:
        try:
            since = parsedate_to_datetime(req["if-modified-since"])
        except (TypeError, ValueError):
            return False
        return page.last_modified.replace(microsecond=0) <= since
    return False


def _accepts_gzip(value: str) -> bool:
    for part in value.lower().split(","):
        name, _, q = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return q.strip() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: SampleSite
    verbose: bool = False


class SampleSite:
    """The sample SPIP site served on loopback in a daemon thread; a context manager."""

    def __init__(
        self,
        site_dir: Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        verbose: bool = False,
    ) -> None:
        self.site_dir = Path(site_dir) if site_dir is not None else default_site_dir()
        self.host = host
        self.port = port
        self.verbose = verbose
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._cache: dict[str, Page] = {}
        self._cache_site: Site | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/`` (ends with a slash)."""
        return f"http://{self.host}:{self.port}/"

    def start(self) -> SampleSite:
        """Load the site (fails early on a bad one) and start serving."""
        load_site(self.site_dir)
        server = _Server((self.host, self.port), _Handler)
        server.owner = self
        server.verbose = self.verbose
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="sample-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _page(self, site: Site, target: str) -> Page:
        """Route ``target``, reusing pages rendered since the site last changed on disk."""
        with self._lock:
            if self._cache_site is not site:
                self._cache_site = site
                self._cache.clear()
            page = self._cache.get(target)
        if page is None:
            page = route(site, self.base_url, target)
            with self._lock:
                if self._cache_site is site:
                    if len(self._cache) >= _CACHE_SIZE:
                        self._cache.clear()
                    self._cache[target] = page
        return page

    def _record(self, method: str, path: str, headers: dict[str, str], status: int) -> None:
        with self._lock:
            self.requests.append(RequestRecord(method, path, headers, status, time.monotonic()))

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(site_dir: Path | str | None = None, port: int = 8002) -> None:
    """Serve the sample site until interrupted (for browsing it by hand)."""
    site = SampleSite(site_dir, port=port, verbose=True).start()
    print(f"Sample SPIP site on {site.base_url} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
