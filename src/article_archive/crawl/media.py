"""The images and documents an archived article needs to be read offline, and fetching them.

An article's media are the images of its body (``<img src>``), its logo (SPIP's
``img.spip_logo`` of the article, ``IMG/arton12.png`` or a ``local/cache-vignettes`` copy),
and the documents its links attach (``IMG/pdf/…``, ``.odt``, ``.doc``, sound…), on the
article's own site (``sites.site_of``): another site's picture is not ours to copy, and the
reader drops it.

They are frontier rows of kind ``media``, claimed after the articles and fetched through
the same politeness (robots.txt, ``--delay``, one request per host) by a client of their own
whose size limit is ``--media-max-size``. What comes back is kept only when its bytes are an
image or document (``fetch.sniff``): an HTML page served as ``photo.jpg`` is refused, the
reason recorded in the frontier row and a body-less ``pages`` row.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from article_archive.crawl.options import CrawlOptions, CrawlSummary
from article_archive.crawl.work import Found, Job, Outcome, Worker
from article_archive.discover.links import SiteScope, resolve
from article_archive.errors import ContentRejected
from article_archive.fetch.client import HttpClient, media_type
from article_archive.fetch.sniff import looks_like, sniff
from article_archive.sites import site_of
from article_archive.store.frontier import KINDS
from article_archive.store.media import MediaRef

DOCUMENT_EXTENSIONS = frozenset(
    {
        "pdf", "odt", "ods", "odp", "odg", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf",
        "epub", "mp3", "ogg", "oga", "opus", "flac", "wav", "m4a",
    }
)  # fmt: skip
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp"})
# SPIP keeps uploaded documents under IMG/ (IMG/pdf/…, IMG/jpg/…) and resized copies under
# local/cache-vignettes/: a link there is a document whatever its extension says.
SPIP_DOCUMENT_DIRS = ("/IMG/", "/local/cache-vignettes/")
_LOGO_FILE = re.compile(r"(?:^|/)arton(\d+)[.-]")


def media_refs(
    body_html: str | None,
    page_url: str,
    page_html: bytes | str | None = None,
    spip_id: int | None = None,
) -> list[MediaRef]:
    """The media an article uses, in order, each address once, on the article's own site.

    ``body_html`` is the extracted body (absolute addresses); ``page_html`` the raw page,
    read only for the article's logo (``arton<spip_id>`` when the id is known).
    """
    refs: dict[str, MediaRef] = {}
    site = site_of(page_url)
    for url, role in _body_media(body_html, page_url) + _logos(page_html, page_url, spip_id):
        if site_of(url) == site:
            refs.setdefault(url, MediaRef(url, role))
    return list(refs.values())


def _parse(html: bytes | str | None) -> lxml.html.HtmlElement | None:
    if not html:
        return None
    try:
        return lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _body_media(body_html: str | None, base: str) -> list[tuple[str, str]]:
    """Images shown and documents linked in the article's body."""
    root = _parse(body_html)
    if root is None:
        return []
    found: list[tuple[str, str]] = []
    for el in root.iter("img", "a"):
        if el.tag == "img" and el.get("src"):
            src = resolve(base, el.get("src"))
            if src is not None:  # an image to nowhere is no image
                found.append((src, "image"))
        elif el.tag == "a" and el.get("href"):
            url = resolve(base, el.get("href"))
            role = link_role(url) if url is not None else None
            if url is not None and role is not None:
                found.append((url, role))
    return found


def link_role(url: str) -> str | None:
    """``document`` or ``image`` for a link to an attached file, None for a page."""
    try:
        path = urlsplit(url).path
    except ValueError:  # a malformed address is no file
        return None
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if extension in IMAGE_EXTENSIONS:
        return "image"
    if extension in DOCUMENT_EXTENSIONS:
        return "document"
    if any(part in path for part in SPIP_DOCUMENT_DIRS) and extension:
        return "document"
    return None


def _logos(page_html: bytes | str | None, base: str, spip_id: int | None) -> list[tuple[str, str]]:
    """The article's own logo (``arton<id>``), not the logos of other articles listed."""
    root = _parse(page_html)
    if root is None:
        return []
    found = []
    for img in root.xpath("//img[contains(concat(' ', @class, ' '), ' spip_logo ')][@src]"):
        src = resolve(base, img.get("src"))
        match = _LOGO_FILE.search(urlsplit(src).path) if src is not None else None
        if src is not None and match and (spip_id is None or match.group(1) == str(spip_id)):
            found.append((src, "logo"))
            break
    return found


def refs_of(outcome: Outcome, options: CrawlOptions) -> list[MediaRef] | None:
    """The media of an outcome's article, or None without article or with ``--no-media``."""
    if not options.media or outcome.article is None or outcome.result is None:
        return None
    result = outcome.result
    article = outcome.article
    return media_refs(article.body_html, result.final_url, result.body, article.spip_id)


def found_of(refs: list[MediaRef] | None) -> list[Found]:
    """The frontier rows to add for an article's media."""
    return [Found(ref.url, "media") for ref in refs or []]


def claim_kinds(options: CrawlOptions, *, budget_left: bool) -> tuple[str, ...]:
    """The frontier kinds a crawl may claim now.

    Without ``--no-media``, the media of the articles archived are fetched even once
    ``--max-articles`` is spent: an article is archived with its images.
    """
    kinds: tuple[str, ...] = KINDS if budget_left else ("media",)
    if not options.media:
        kinds = tuple(k for k in kinds if k != "media")
    return kinds


def count(summary: CrawlSummary, outcome: Outcome) -> None:
    """A media outcome in the run's counts (kept apart from the pages')."""
    if outcome.state == "done":
        summary.media += 1
    elif outcome.state in ("skipped", "failed", "absent"):
        summary.media_refused += 1
        summary.errors.append(f"{outcome.job.url}: {outcome.error}")


class MediaWorker(Worker):
    """Fetches media rows: same politeness and robots.txt as pages, its own size limit."""

    def __init__(self, pages: HttpClient, options: CrawlOptions, scope: SiteScope):
        client = HttpClient(
            user_agent=pages.user_agent,
            timeout=options.timeout,
            max_bytes=options.media_max_size,
            retries=options.retries,
            backoff=options.backoff,
            ignore_robots=options.ignore_robots,
            politeness=pages.politeness,  # one host's delay and slot, pages and media alike
            clock=pages.clock,
        )
        client.robots = pages.robots
        super().__init__(client, options, scope)

    def close(self) -> None:
        """Close the media client's connections."""
        self.client.close()

    def _run(self, job: Job) -> Outcome:
        try:
            result = self.client.fetch(job.url, accept=None, allow_redirect=self.scope.__contains__)
        except ContentRejected as exc:  # over --media-max-size
            return Outcome(job, state="skipped", error=f"refused: {exc}")
        if result.status != 200:
            state = "absent" if result.status in (404, 410) else "failed"
            error = f"HTTP {result.status}"
            return Outcome(job, state=state, result=result, error=error, keep_body=False)
        kind = sniff(result.body)
        if kind is None:
            declared = media_type(result.content_type) or "no type"
            error = (
                f"refused: the bytes are {looks_like(result.body)}, not an image or a "
                f"document (served as {declared})"
            )
            return Outcome(job, state="skipped", result=result, error=error, keep_body=False)
        result.content_type = kind  # the bytes' type; the server's stays in the headers
        return Outcome(job, result=result)
