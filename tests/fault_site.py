"""A SPIP-shaped site on 127.0.0.1 that mixes every fault of issue 13 into 20 good articles.

Real sockets, one thread per connection. ``FaultSite(faults=False)`` serves the same good
articles with none of the faults (the baseline a test measures the good articles' own time
on). What the faulty site adds, each a ``BAD`` address (its path) or a case of its own:

- robots.txt asks for ``Crawl-delay: 86400`` and names the sitemap index;
- the feed lists, before the good articles: a 404, three URLs answering 500, a brotli and a
  gzip bomb (a few KB that decode to 64 MiB), a body drip-fed one byte every 0.2 s, a page
  that never answers, a body whose gzip is broken, and a page in a broken encoding;
- the sitemap index lists itself and a generated chain of sitemaps (each lists itself and two
  more, without end) next to the urlset of the good articles;
- the home page, the articles and the urlset link to bad addresses (``https://[votre_fil_twitter]``,
  an IPvFuture, a 10,000-character URL, bad ports).
"""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import brotli

GOOD = 20
MIB = 1024 * 1024
BOMB_SIZE = 64 * MIB
DRIP_EVERY = 0.2
# The faulty addresses (path and query), in the order the feed lists them: first.
BAD = (
    "spip.php?page=introuvable",  # 404
    "spip.php?page=panne1",  # 500
    "spip.php?page=panne2",
    "spip.php?page=panne3",
    "spip.php?page=bombe-br",
    "spip.php?page=bombe-gzip",
    "spip.php?page=goutte",  # drip-fed body
    "spip.php?page=pendu",  # never answers
    "spip.php?page=gzip-casse",  # Content-Encoding: gzip, not gzip
    "spip.php?page=encodage",  # declared UTF-8, bytes that are not
)
CHAIN = "sitemap-chaine-"
BAD_LINKS = (
    "https://[votre_fil_twitter]",
    "http://[v1.fe80::a+en1]/",
    "http://127.0.0.1:99999/spip.php?article1",
    "http://127.0.0.1:port/spip.php?article2",
    "http://127.0.0.1/" + "x" * 10_000,
)
TEXT = (
    "Les habitants du quartier se sont réunis mardi soir pour la troisième fois en un mois. "
    "Ils demandent que la mairie publie enfin le calendrier des travaux et que les loyers "
    "soient gelés pendant toute la durée du chantier, comme cela avait été promis. "
)


def _bomb(compressor: Any, finish: str) -> bytes:
    """``BOMB_SIZE`` zero bytes compressed a MiB at a time (never all in memory)."""
    chunk, out = bytes(MIB), []
    feed = compressor.process if hasattr(compressor, "process") else compressor.compress
    for _ in range(BOMB_SIZE // MIB):
        out.append(feed(chunk))
    out.append(getattr(compressor, finish)())
    return b"".join(out)


def _links() -> str:
    return "".join(f'<a href="{u}">lien</a> ' for u in BAD_LINKS)


def article_page(n: int) -> str:
    """A SPIP 4 article page (what the SPIP extractor reads), with bad links in its text."""
    title = f"Article {n} : le quartier se mobilise"
    body = "".join(f"<p>{TEXT} ({n}.{p})</p>" for p in range(5))
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f'<meta name="generator" content="SPIP 4.2.8"><title>{title}</title></head>'
        '<body class="page_article"><div class="page"><div class="main">'
        '<div class="content hentry" id="content"><div class="cartouche">'
        f'<h1 class="surlignable titre">{title}</h1><p class="info-publi">'
        '<abbr class="published" title="2024-03-02T10:00:00Z">2 mars 2024</abbr></p></div>'
        f'<div class="texte surlignable">{body}<p>{_links()}</p></div>'
        "</div></div></div></body></html>"
    )


class FaultSite:
    """The site; a context manager. ``hits`` counts requests per path (with its query)."""

    def __init__(self, *, faults: bool = True):
        self.faults = faults
        self.hits: Counter[str] = Counter()
        self.order: list[str] = []  # the paths asked, in order
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._bombs = {
            "br": _bomb(brotli.Compressor(quality=5), "finish"),
            "gzip": _bomb(zlib.compressobj(9, zlib.DEFLATED, 31), "flush"),
        }
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def good_urls(self) -> list[str]:
        """The 20 good articles' addresses."""
        return [f"{self.base_url}spip.php?article{n}" for n in range(1, GOOD + 1)]

    def __enter__(self) -> FaultSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()

    def count(self, path: str) -> None:
        """Log one request."""
        with self._lock:
            self.hits[path] += 1
            self.order.append(path)

    # -- the documents --------------------------------------------------------------------

    def robots(self) -> str:
        delay = "Crawl-delay: 86400\n" if self.faults else ""
        return f"User-agent: *\n{delay}Sitemap: {self.base_url}sitemap.xml\n"

    def home(self) -> str:
        links = "".join(f'<a href="spip.php?article{n}">{n}</a> ' for n in range(1, GOOD + 1))
        return (
            '<html lang="fr"><head><meta name="generator" content="SPIP 4.2.8">'
            "<title>Le quartier</title>"
            '<link rel="alternate" type="application/rss+xml" href="spip.php?page=backend">'
            f"</head><body><h1>Le quartier</h1>{links}{_links() if self.faults else ''}"
            "</body></html>"
        )

    def feed(self) -> str:
        urls = [self.base_url + p for p in BAD] if self.faults else []
        urls += self.good_urls()
        items = "".join(
            f"<item><title>{u[-20:]}</title><link>{u}</link>"
            "<pubDate>Sat, 02 Mar 2024 10:00:00 GMT</pubDate></item>"
            for u in urls
        )
        channel = f"<channel><title>Le quartier</title>{items}</channel>"
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'

    def sitemap_index(self) -> str:
        children = ["sitemap-articles.xml"]
        if self.faults:
            children += ["sitemap.xml", f"{CHAIN}1.xml"]
        return _index(self.base_url, children)

    def chain(self, n: int) -> str:
        """Each link of the chain lists itself and the next two: no end, growing."""
        return _index(
            self.base_url, [f"{CHAIN}{n}.xml", f"{CHAIN}{2 * n}.xml", f"{CHAIN}{2 * n + 1}.xml"]
        )

    def urlset(self) -> str:
        urls = self.good_urls() + (list(BAD_LINKS) if self.faults else [])
        locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
        )


def _index(base: str, children: list[str]) -> str:
    items = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up on a bomb or a drip are what the site is for: quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    site: FaultSite

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = self.path.lstrip("/")
        self.site.count(path)
        try:
            self._answer(path)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: as it should
            self.close_connection = True

    def _send(
        self,
        status: int,
        body: bytes | str,
        ctype: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, path: str) -> None:
        site = self.site
        xml = "application/xml"
        if path == "robots.txt":
            return self._send(200, site.robots(), "text/plain")
        if path == "":
            return self._send(200, site.home())
        if path == "spip.php?page=backend":
            return self._send(200, site.feed(), "application/rss+xml")
        if path == "sitemap.xml":
            return self._send(200, site.sitemap_index(), xml)
        if path == "sitemap-articles.xml":
            return self._send(200, site.urlset(), xml)
        if path.startswith("spip.php?article"):
            number = path.removeprefix("spip.php?article")
            if number.isdigit() and 1 <= int(number) <= GOOD:
                return self._send(200, article_page(int(number)))
        if site.faults:
            return self._fault(path)
        return self._send(404, "<html><body>Introuvable</body></html>")

    def _fault(self, path: str) -> None:
        site = self.site
        if path.startswith(CHAIN) and path.endswith(".xml"):
            n = int(path.removeprefix(CHAIN).removesuffix(".xml") or 0)
            return self._send(200, site.chain(n), "application/xml")
        if path.startswith("spip.php?page=panne"):
            return self._send(500, "<html><body>Erreur</body></html>")
        if path == "spip.php?page=bombe-br":
            return self._send(200, site._bombs["br"], Content_Encoding="br")
        if path == "spip.php?page=bombe-gzip":
            return self._send(200, site._bombs["gzip"], Content_Encoding="gzip")
        if path == "spip.php?page=gzip-casse":
            return self._send(200, b"\x1f\x8b\x08\x00garbage" * 50, Content_Encoding="gzip")
        if path == "spip.php?page=encodage":
            page = article_page(GOOD + 1).encode("utf-8").replace(b"\xc3\xa9", b"\xe9\xff")
            return self._send(200, page)
        if path == "spip.php?page=goutte":
            return self._drip()
        if path == "spip.php?page=pendu":
            site.stop.wait(60)  # says nothing until the site stops
            self.close_connection = True
            return None
        return self._send(404, "<html><body>Introuvable</body></html>")

    def _drip(self) -> None:
        """A 200 whose body comes one byte every ``DRIP_EVERY`` s (each resets a read timeout)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        while not self.site.stop.wait(DRIP_EVERY):
            self.wfile.write(b"x")
            self.wfile.flush()
        self.close_connection = True
