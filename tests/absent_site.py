"""A SPIP-shaped site on 127.0.0.1 whose theme answers an unknown id with a 200, not a 404.

Five articles (ids 1, 2, 3, 5 and 8) live at their own addresses (``Titre-N``), linked from the
home page and from one rubric page; ``spip.php?articleN`` of a real id redirects there, as SPIP
does. The theme prints no id on its article pages, so the crawl learns the ids from the walk.
``spip.php?articleN`` of any other id answers 200, in the way ``mode`` says:

- ``home``: the home page (whose editorial reads like an article);
- ``listing``: the rubric page (whose description reads like an article);
- ``newest``: the page of the newest article (id 8), at the probe's own address;
- ``canonical``: a page of its own whose canonical link names article 1;
- ``crayon``: a page of its own whose texte carries the crayons class of article 1.

Every answer carries a login link back to the address asked, as SPIP's themes do, so no two
are the same bytes. With ``zero_canonical`` every page's canonical link names
``id_article=0`` (a theme printing ``#ID_ARTICLE`` outside its loop).
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

REAL = (1, 2, 3, 5, 8)
NEWEST = 8
SENTENCE = (
    "Le conseil de quartier a voté à main levée, après deux heures de débat, une motion "
    "demandant que le marché couvert reste ouvert le dimanche matin et que ses loyers baissent. "
)


def title_of(n: int) -> str:
    """The title of real article ``n``."""
    return f"Le marché couvert, épisode {n}"


def slug_of(n: int) -> str:
    """The address (path) of real article ``n``."""
    return f"Le-marche-couvert-episode-{n}"


class AbsentSite:
    """The site; a context manager. ``probes`` counts the ``spip.php?articleN`` asked, by N."""

    def __init__(self, mode: str, *, zero_canonical: bool = False):
        self.mode = mode
        self.zero_canonical = zero_canonical
        self.probes: Counter[int] = Counter()
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> AbsentSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def probed(self, n: int) -> None:
        """Log one probe of id ``n``."""
        with self._lock:
            self.probes[n] += 1

    # -- the pages ------------------------------------------------------------------------

    def page(
        self,
        asked: str,
        title: str,
        texte: str,
        canonical: str | None = None,
        texte_class: str = "texte",
    ) -> str:
        """A page of the theme: menu, the block read as the texte, a login link to ``asked``."""
        if self.zero_canonical:
            canonical = "spip.php?page=article&amp;id_article=0"
        head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
        menu = "".join(f'<li><a href="{slug_of(n)}">{title_of(n)}</a></li>' for n in REAL)
        return (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f'<meta name="generator" content="SPIP 4.4.1"><title>{title}</title>{head}</head>'
            '<body><div id="page"><ul class="menu">'
            f'{menu}<li><a href="-Le-quartier-">Le quartier</a></li></ul>'
            f'<div class="contenu"><h1 class="titre">{title}</h1>'
            f'<div class="{texte_class}">{texte}</div></div>'
            f'<p><a href="spip.php?page=login&amp;url={quote(asked, safe="")}" rel="nofollow">'
            "Se connecter</a></p></div></body></html>"
        )

    def article(self, n: int, asked: str) -> str:
        """Real article ``n``."""
        texte = "".join(f"<p>{SENTENCE}({n}.{p})</p>" for p in range(5))
        return self.page(asked, title_of(n), texte)

    def home(self, asked: str) -> str:
        """The home page: an editorial, then the menu's links."""
        texte = "".join(f"<p>Le mot de la rédaction. {SENTENCE}</p>" for _ in range(4))
        return self.page(asked, "À la une", texte)

    def rubric(self, asked: str) -> str:
        """The rubric page: its description, and links to its articles (in the menu)."""
        texte = "".join(f"<p>Cette rubrique rassemble les comptes rendus. {SENTENCE}</p>" * 3)
        return self.page(asked, "Le quartier", texte)

    def unknown(self, n: int, asked: str) -> str:
        """What the theme answers for id ``n`` that no article has."""
        if self.mode == "home":
            return self.home(asked)
        if self.mode == "listing":
            return self.rubric(asked)
        if self.mode == "newest":
            return self.article(NEWEST, asked)
        texte = "".join(f"<p>Sélection numéro {n}. {SENTENCE}</p>" for _ in range(4))
        if self.mode == "crayon":
            crayon = "texte crayon article-texte-1"
            return self.page(asked, f"Sélection {n}", texte, texte_class=crayon)
        return self.page(asked, f"Sélection {n}", texte, canonical="spip.php?article1")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: AbsentSite

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = self.path.lstrip("/")
        site = self.site
        if path == "":
            return self._send(200, site.home(path))
        if path == "-Le-quartier-":
            return self._send(200, site.rubric(path))
        for n in REAL:
            if path == slug_of(n):
                return self._send(200, site.article(n, path))
        number = path.removeprefix("spip.php?article")
        if path.startswith("spip.php?article") and number.isdigit():
            site.probed(int(number))
            if int(number) in REAL:
                return self._send(302, "", Location=site.base_url + slug_of(int(number)))
            return self._send(200, site.unknown(int(number), path))
        return self._send(404, "<html><body>Introuvable</body></html>")

    def _send(self, status: int, body: str, **headers: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
