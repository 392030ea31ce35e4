"""Load the sample SPIP site (site.toml + articles/*.txt) into plain dataclasses.

The format is described in ``data/sample-site/FORMAT.md``. Loading is cached per folder and
redone whenever a file in it changes, so tests may copy a site, edit an article and see it.
"""

from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from article_archive_sample.extras import Event, ForumMessage, SyndicatedSite, load_extras
from article_archive_sample.site_format import SiteFormatError, propre_slug

_Date = date  # the type, for classes that have a field called date

__all__ = [
    "ArticleSource",
    "Author",
    "Document",
    "Keyword",
    "Rubrique",
    "Site",
    "SiteFormatError",
    "load_site",
    "propre_slug",
]


def _author_slug(name: str) -> str:
    """ESSF writes family names in capitals; the URL uses them capitalised (NAKAMURA → Nakamura)."""
    words = [w.capitalize() if w.isupper() and len(w) > 1 else w for w in name.split()]
    return propre_slug(" ".join(words))


@dataclass
class Rubrique:
    """A SPIP rubrique (section); ``url`` is its propres form ``-Title-``."""

    id: int
    parent: int
    title: str
    descriptif: str = ""
    lang: str = "fr"
    charset: str = "utf-8"
    template: str = "spip3"

    @property
    def url(self) -> str:
        """Relative readable URL of the rubric."""
        return f"-{propre_slug(self.title)}-"


@dataclass
class Author:
    """A SPIP auteur; ``url`` is its propres form ``_Name_``."""

    id: int
    name: str
    bio: str = ""

    @property
    def url(self) -> str:
        """Relative readable URL of the author page."""
        return f"_{_author_slug(self.name)}_"


@dataclass
class Keyword:
    """A SPIP mot-clé; ``url`` is its propres form ``+-Mot-+``."""

    id: int
    title: str
    group: str = ""

    @property
    def url(self) -> str:
        """Relative readable URL of the keyword page."""
        return f"+-{propre_slug(self.title)}-+"


@dataclass
class Document:
    """An image document (``<imgN>`` in texts)."""

    id: int
    file: str
    title: str = ""
    descriptif: str = ""
    credits: str = ""
    width: int = 0
    height: int = 0


@dataclass
class ArticleSource:
    """One article as typed in the back office (shortcuts, not HTML)."""

    id: int
    rubrique: int
    title: str
    slug: str
    date: datetime
    lang: str = "fr"
    surtitle: str = ""
    subtitle: str = ""
    chapo: str = ""
    texte: str = ""
    ps: str = ""
    descriptif: str = ""
    date_redac: _Date | None = None
    date_modif: datetime | None = None
    authors: list[int] = field(default_factory=list)
    keywords: list[int] = field(default_factory=list)
    translation_of: int | None = None
    logo: str = ""
    status: str = "publie"
    path: Path | None = None

    @property
    def published(self) -> bool:
        """True unless the article is still in preparation (SPIP status other than publie)."""
        return self.status == "publie"

    @property
    def url(self) -> str:
        """Relative readable URL of the article."""
        return self.slug


@dataclass
class Site:
    """The whole sample site: settings, rubrics, authors, keywords, documents, articles."""

    name: str
    slogan: str = ""
    lang: str = "fr"
    spip_version: str = "3.2.7 [24473]"
    root: Path | None = None
    rubriques: dict[int, Rubrique] = field(default_factory=dict)
    authors: dict[int, Author] = field(default_factory=dict)
    keywords: dict[int, Keyword] = field(default_factory=dict)
    documents: dict[int, Document] = field(default_factory=dict)
    articles: dict[int, ArticleSource] = field(default_factory=dict)
    forum: dict[int, list[ForumMessage]] = field(default_factory=dict)  # by article id
    syndic: list[SyndicatedSite] = field(default_factory=list)
    agenda: list[Event] = field(default_factory=list)  # by date

    def published(self) -> list[ArticleSource]:
        """Published articles, newest first (ties broken by higher id)."""
        arts = [a for a in self.articles.values() if a.published]
        return sorted(arts, key=lambda a: (a.date, a.id), reverse=True)

    def article(self, id_article: int) -> ArticleSource | None:
        """The published article with this id, or None (unknown and unpublished alike)."""
        art = self.articles.get(id_article)
        return art if art is not None and art.published else None

    def article_by_slug(self, slug: str) -> ArticleSource | None:
        """The published article whose readable URL is ``slug``."""
        for art in self.articles.values():
            if art.slug == slug and art.published:
                return art
        return None

    def rubric_path(self, id_rubrique: int) -> list[Rubrique]:
        """Rubrics from the top level down to ``id_rubrique`` (the breadcrumb)."""
        path: list[Rubrique] = []
        rub = self.rubriques.get(id_rubrique)
        while rub is not None and rub not in path:
            path.insert(0, rub)
            rub = self.rubriques.get(rub.parent)
        return path

    def children(self, id_rubrique: int) -> list[Rubrique]:
        """Direct sub-rubrics of ``id_rubrique`` (0 = top level), by id."""
        return sorted(
            (r for r in self.rubriques.values() if r.parent == id_rubrique), key=lambda r: r.id
        )

    def branch(self, id_rubrique: int) -> set[int]:
        """``id_rubrique`` and all rubrics below it."""
        found = {id_rubrique}
        todo = [id_rubrique]
        while todo:
            for child in self.children(todo.pop()):
                if child.id not in found:
                    found.add(child.id)
                    todo.append(child.id)
        return found

    def translations(self, art: ArticleSource) -> list[ArticleSource]:
        """Published members of the article's translation group, itself included, by lang."""
        root = self._trad_root(art)
        group = [a for a in self.published() if self._trad_root(a) == root]
        return sorted(group, key=lambda a: a.lang) if len(group) > 1 else []

    def _trad_root(self, art: ArticleSource) -> int:
        seen = {art.id}
        current = art
        while current.translation_of and current.translation_of in self.articles:
            current = self.articles[current.translation_of]
            if current.id in seen:
                break
            seen.add(current.id)
        return current.id

    def charset_of(self, id_rubrique: int) -> str:
        """Charset a rubric's pages are served in."""
        rub = self.rubriques.get(id_rubrique)
        return rub.charset.lower() if rub else "utf-8"

    def template_of(self, id_rubrique: int) -> str:
        """Template family ("spip3" or "spip4") of a rubric's pages."""
        rub = self.rubriques.get(id_rubrique)
        return rub.template if rub else "spip3"


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG (0, 0 for anything else or a missing file)."""
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return 0, 0
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _as_datetime(value: object, where: str) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=None)
        except ValueError as exc:
            raise SiteFormatError(f"{where}: bad date {value!r}") from exc
    raise SiteFormatError(f"{where}: bad date {value!r}")


def _split_article(text: str, where: str) -> tuple[dict, str]:
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "+++":
        raise SiteFormatError(f"{where}: must start with a '+++' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration as exc:
        raise SiteFormatError(f"{where}: no closing '+++' line") from exc
    try:
        header = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise SiteFormatError(f"{where}: {exc}") from exc
    return header, "\n".join(lines[end + 1 :]).strip("\n")


def _load_article(path: Path) -> ArticleSource:
    where = str(path)
    header, body = _split_article(path.read_text(encoding="utf-8"), where)
    try:
        redac = header.get("date_redac")
        modif = header.get("date_modif")
        return ArticleSource(
            id=int(header["id"]),
            rubrique=int(header["rubrique"]),
            title=str(header["title"]).strip(),
            slug=str(header.get("slug") or propre_slug(str(header["title"]))),
            date=_as_datetime(header["date"], where),
            lang=str(header.get("lang", "fr")),
            surtitle=str(header.get("surtitle", "")).strip(),
            subtitle=str(header.get("subtitle", "")).strip(),
            chapo=str(header.get("chapo", "")).strip(),
            texte=body,
            ps=str(header.get("ps", "")).strip(),
            descriptif=str(header.get("descriptif", "")).strip(),
            date_redac=_as_datetime(redac, where).date() if redac else None,
            date_modif=_as_datetime(modif, where) if modif else None,
            authors=[int(a) for a in header.get("authors", [])],
            keywords=[int(k) for k in header.get("keywords", [])],
            translation_of=int(header["translation_of"]) if header.get("translation_of") else None,
            logo=str(header.get("logo", "")),
            status=str(header.get("status", "publie")),
            path=path,
        )
    except KeyError as exc:
        raise SiteFormatError(f"{where}: missing field {exc.args[0]!r}") from exc


def _read_site(root: Path) -> Site:
    toml_path = root / "site.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SiteFormatError(f"{toml_path}: {exc}") from exc
    conf = data.get("site", {})
    site = Site(
        name=str(conf.get("name", "Site SPIP")),
        slogan=str(conf.get("slogan", "")),
        lang=str(conf.get("lang", "fr")),
        spip_version=str(conf.get("spip_version", "3.2.7 [24473]")),
        root=root,
    )
    for r in data.get("rubriques", []):
        rub = Rubrique(
            id=int(r["id"]),
            parent=int(r.get("parent", 0)),
            title=str(r["title"]),
            descriptif=str(r.get("descriptif", "")),
            lang=str(r.get("lang", site.lang)),
            charset=str(r.get("charset", "utf-8")).lower(),
            template=str(r.get("template", "spip3")),
        )
        site.rubriques[rub.id] = rub
    for a in data.get("authors", []):
        site.authors[int(a["id"])] = Author(int(a["id"]), str(a["name"]), str(a.get("bio", "")))
    for k in data.get("keywords", []):
        site.keywords[int(k["id"])] = Keyword(
            int(k["id"]), str(k["title"]), str(k.get("group", ""))
        )
    for d in data.get("documents", []):
        width, height = _png_size(root / str(d["file"]))
        site.documents[int(d["id"])] = Document(
            id=int(d["id"]),
            file=str(d["file"]),
            title=str(d.get("title", "")),
            descriptif=str(d.get("descriptif", "")),
            credits=str(d.get("credits", "")),
            width=int(d.get("width", width)),
            height=int(d.get("height", height)),
        )
    site.forum, site.syndic, site.agenda = load_extras(data)
    for path in sorted((root / "articles").glob("*.txt")):
        art = _load_article(path)
        if art.id in site.articles:
            raise SiteFormatError(f"{path}: article id {art.id} used twice")
        site.articles[art.id] = art
    return site


_cache: dict[Path, tuple[tuple[int, int], Site]] = {}
_cache_lock = threading.Lock()


def _fingerprint(root: Path) -> tuple[int, int]:
    """Newest mtime (ns) over the folder, its articles and files, plus the number of entries."""
    paths = [root, root / "site.toml", root / "articles"]
    articles = root / "articles"
    if articles.is_dir():
        paths.extend(articles.iterdir())
    newest = 0
    for p in paths:
        try:
            newest = max(newest, p.stat().st_mtime_ns)
        except OSError:
            continue
    return newest, len(paths)


def load_site(root: Path | str) -> Site:
    """Load (or reuse the cached) site in ``root``; reloaded when any of its files changes."""
    root = Path(root).resolve()
    if not (root / "site.toml").is_file():
        raise SiteFormatError(f"{root}: no site.toml here")
    key = _fingerprint(root)
    with _cache_lock:
        hit = _cache.get(root)
        if hit is not None and hit[0] == key:
            return hit[1]
    site = _read_site(root)
    with _cache_lock:
        _cache[root] = (key, site)
    return site
