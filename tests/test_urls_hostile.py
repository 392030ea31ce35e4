"""Every URL-handling function of the package on hostile link targets: it returns a value or
raises the project's own error, never an uncaught ValueError or UnicodeError.

The targets are what real pages carry: a theme's unfilled ``https://[votre_fil_twitter]``,
IPv6 and IPvFuture brackets, ports that are no numbers or out of range, control characters,
10,000-character addresses, odd schemes, percent garbage, unicode hosts; hypothesis mixes them
with each other and with arbitrary text, as an address, as a link of a page, a feed, a sitemap
or robots.txt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from article_archive import sites, spip_urls
from article_archive.crawl import absent, exclude, media
from article_archive.discover import feeds, links, sitemaps, spip, urls
from article_archive.errors import ArchiveError
from article_archive.extract import extract_article, html, metadata
from article_archive.fetch import robots
from article_archive.web import media as web_media

BASE = "http://127.0.0.1:8080/spip.php?article3"
HOSTILE = [
    "https://[votre_fil_twitter]",
    "https://[votre_fil_twitter]/status",
    "http://[v1.fe80::a+en1]/",
    "http://[vA.x]/",
    "http://[::1/",
    "http://]::1[/",
    "http://[fe80::1%25eth0]/",
    "http://[::ffff:1.2.3.4]:99999/",
    "http://127.0.0.1:99999/spip.php?article1",
    "http://127.0.0.1:port/spip.php?article2",
    "http://127.0.0.1:-1/",
    "http://127.0.0.1:/",
    "http://127.0.0.1:0/",
    "http://user:pa:ss@host:1:2/",
    "http://127.0.0.1/" + "x" * 10_000,
    "http://" + "a" * 10_000 + ".example/",
    "http://exa\x00mple.org/",
    "http://example.org/\r\nSet-Cookie: x",
    "http://exa\tmple.org/\x7f",
    "http://例え.テスト/記事",
    "http://xn--/",
    "http://xn--zz-zzz.example/",
    "http://ex\u2100ample.org/",
    "http://\uff21\uff22.example/",
    "http://ex%41mple.org/%zz%",
    "http://example.org/%%%25%G0%",
    "http://example.org/?id_article=%FF%FE",
    "//[::1]:/",
    "///path",
    "http:",
    "http://",
    "https:///spip.php?article4",
    "javascript:alert(1)",
    "mailto:[x]",
    "data:text/html,<a>",
    "spip.php?article9999999999999999999999999",
    "spip.php?page=backend&id_rubrique=[1]",
    "\\\\server\\share",
    "http://\udcff.example/",
    "ftp://[::1]:21/",
    "  http://example.org/  ",
    "#",
    "",
]
PIECES = st.sampled_from(["[", "]", ":", "%", "//", "@", "?", "#", "\x00", "\n", "\udcff", "é"])
TARGETS = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=30)),
    st.builds(
        lambda scheme, middle, tail: f"{scheme}{''.join(middle)}{tail}",
        st.sampled_from(["http://", "https://", "//", "", "http:", "HTTP://"]),
        st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=8),
        st.sampled_from(["", "/", "/spip.php?article1", ":80/x", ":8o/", "]:1/"]),
    ),
    st.text(max_size=60),
)
hostile = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)


def calm(call: Callable[[], Any]) -> Any:
    """Run ``call``: a value, or the project's own error; anything else fails the test."""
    try:
        return call()
    except ArchiveError:
        return None


def attr(value: str) -> str:
    """``value`` as an HTML attribute (or XML text) with its quotes escaped."""
    return escape(value.replace("\x00", ""), {'"': "&quot;"})


def page_with(target: str) -> bytes:
    """A SPIP-shaped article page whose links, logo, canonical and og:url are ``target``."""
    a = attr(target)
    return (
        '<html lang="fr"><head><meta charset="utf-8"><meta name="generator" content="SPIP 4.4">'
        f'<base href="{a}"><link rel="canonical" href="{a}">'
        f'<meta property="og:url" content="{a}"><link rel="alternate" '
        f'type="application/rss+xml" href="{a}"><title>T</title></head><body>'
        f'<p class="arbo"><a href="{a}">Rubrique</a></p><h1 class="titre">Un titre</h1>'
        f'<img class="spip_logo" src="{a}"><div class="texte crayon article-texte-3">'
        f'<p>Un texte assez long pour un article, avec <a href="{a}">un lien</a> et '
        f'<img src="{a}">.</p><p><a href="{a}" rel="tag">mot</a></p></div>'
        f'<form><input name="id_article" value="3"></form><a href="{a}">pied</a></body></html>'
    ).encode("utf-8", "surrogatepass")


@hostile
@given(TARGETS)
def test_address_functions_take_any_address(target: str) -> None:
    for function in (
        sites.host_of,
        sites.site_of,
        sites.site_host,
        spip_urls.article_id,
        spip_urls.is_backend_url,
        spip_urls.backend_filters,
        links.normalize_url,
        spip.classify,
        spip.plan_url,
        feeds.looks_like_feed_url,
        feeds.spip_backend_url,
        sitemaps.default_sitemap_urls,
        robots.robots_url,
        media.link_role,
        urls.check_seed_url,
        urls.is_requestable,
    ):
        calm(lambda f=function: f(target))  # type: ignore[misc]
    calm(lambda: spip.article_url_for_id(target, 7))
    calm(lambda: exclude.excluded(target, ("*/ecrire/*", "spip.php?page=*")))
    scope = links.SiteScope([BASE])
    calm(lambda: scope.add(target))
    calm(lambda: target in scope)
    calm(lambda: scope.filter([target, BASE]))


@hostile
@given(TARGETS, st.sampled_from([BASE, "http://127.0.0.1:8080/", "https://[::1]:8443/a/b"]))
def test_joining_a_hostile_link_to_a_page(target: str, base: str) -> None:
    calm(lambda: links.resolve(base, target))
    calm(lambda: links.resolve(target, "spip.php?article1"))
    calm(lambda: html.join_url(base, target))
    calm(lambda: urls.redirect_target(base, target))
    calm(lambda: html.join_url(target, "spip.php?article1"))
    calm(lambda: metadata.http_url(target, base))
    calm(lambda: metadata.http_url(target))
    calm(lambda: robots.parse_robots(f"User-agent: *\nSitemap: {target}\n", 200, "aa", 0.0))
    calm(lambda: sitemaps.robots_sitemaps(f"Sitemap: {target}\n", base))


@hostile
@given(TARGETS)
def test_pages_feeds_and_sitemaps_with_hostile_links(target: str) -> None:
    body = page_with(target)
    for function in (
        links.page_links,
        spip.plan_links,
        spip.listing_links,
        spip.rubric_links,
        feeds.find_feed_links,
        feeds.spip_feed_links,
        absent.id_markers,
        web_media.linked_urls,
    ):
        calm(lambda f=function: f(body, BASE))  # type: ignore[misc]
        calm(lambda f=function: f(body, target))  # type: ignore[misc]
    article = calm(lambda: extract_article(body, BASE))
    if article is not None:
        calm(lambda: media.media_refs(article.body_html, article.url, body, 3))
    text = body.decode("utf-8", "replace")
    calm(lambda: html.sanitize_html(text, target))
    calm(lambda: media.media_refs(text, BASE, body, 3))
    targets = web_media.Targets(articles={BASE: 1, target: 2})
    calm(lambda: web_media.rewrite(text, BASE, targets, "/archive"))
    calm(lambda: web_media.rewrite(text, target, targets, "/archive"))
    calm(lambda: extract_article(body, target))
    a = attr(target)
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><item><link>{a}</link></item>'
    rss += "</channel></rss>"
    calm(lambda: feeds.parse_feed(rss.encode("utf-8", "surrogatepass"), BASE))
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{a}</loc></url></urlset>"
    )
    calm(lambda: sitemaps.parse_sitemap(urlset.encode("utf-8", "surrogatepass"), BASE))
