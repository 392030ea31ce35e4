"""SPIP dist ``backend`` (RSS 2.0), ``sitemap.xml`` and ``robots.txt`` for the sample site."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from article_archive_sample.introduction import introduction
from article_archive_sample.layout import Page, iso_z, to_utc
from article_archive_sample.site import ArticleSource, Site
from article_archive_sample.typo import plain_text, typo_title

__all__ = ["FEED_SIZE", "render_backend", "render_robots", "render_sitemap", "select_feed"]

FEED_SIZE = 10  # dist backend: {par date}{inverse}{0,10}


def _x(text: str) -> str:
    """Escape text for XML (SPIP's texte_backend)."""
    return html.escape(text, quote=False)


def select_feed(site: Site, params: dict[str, str]) -> list[ArticleSource]:
    """Articles of a backend request; filters id_rubrique (branch), lang, id_mot, id_auteur."""
    arts = site.published()
    if params.get("id_rubrique", "").isdigit():
        branch = site.branch(int(params["id_rubrique"]))
        arts = [a for a in arts if a.rubrique in branch]
    if params.get("lang"):
        arts = [a for a in arts if a.lang == params["lang"]]
    if params.get("id_mot", "").isdigit():
        arts = [a for a in arts if int(params["id_mot"]) in a.keywords]
    if params.get("id_auteur", "").isdigit():
        arts = [a for a in arts if int(params["id_auteur"]) in a.authors]
    return arts[:FEED_SIZE]


def _plain(text: str, lang: str) -> str:
    return plain_text(typo_title(text, lang))


def _item(site: Site, art: ArticleSource, base_url: str) -> str:
    url = base_url + art.url
    lines = [
        f'<item xml:lang="{art.lang}">',
        f"\t<title>{_x(_plain(art.title, art.lang))}</title>",
        f"\t<link>{_x(url)}</link>",
        f'\t<guid isPermaLink="true">{_x(url)}</guid>',
        f"\t<dc:date>{iso_z(art.date)}</dc:date>",
        "\t<dc:format>text/html</dc:format>",
        f"\t<dc:language>{art.lang}</dc:language>",
    ]
    names = [_plain(site.authors[a].name, art.lang) for a in art.authors if a in site.authors]
    if names:
        lines.append(f"\t<dc:creator>{_x(', '.join(names))}</dc:creator>")
    tags = [site.keywords[k] for k in art.keywords if k in site.keywords]
    lines += [f"\t<dc:subject>{_x(_plain(k.title, art.lang))}</dc:subject>" for k in tags]
    tail = ""
    rub = site.rubriques.get(art.rubrique)
    if rub is not None:
        rub_name = _x(_plain(rub.title, rub.lang))
        tail = f' - <a href="{base_url}{rub.url}" rel="directory">{rub_name}</a>'
        if tags:
            links = ", ".join(
                f'<a href="{base_url}{k.url}" rel="tag">{_x(_plain(k.title, art.lang))}</a>'
                for k in tags
            )
            tail += f" / {links}"
    intro = introduction(site, art, 500)
    lines.append(f"\t<description>{_x(intro + chr(10) + chr(10) + tail.strip())}</description>")
    lines.append("</item>")
    return "\n".join(lines)


def render_backend(site: Site, base_url: str, params: dict[str, str]) -> Page:
    """``spip.php?page=backend[&id_rubrique=N][&lang=xx][&id_mot=N]``: SPIP dist's RSS 2.0."""
    arts = select_feed(site, params)
    query = urlencode({"page": "backend", **{k: v for k, v in params.items() if k != "page"}})
    self_url = f"{base_url}spip.php?{query}"
    lang = params.get("lang") or site.lang
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" ',
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"',
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"',
        '\txmlns:atom="http://www.w3.org/2005/Atom"',
        ">",
        "",
        f'<channel xml:lang="{lang}">',
        f"\t<title>{_x(_plain(site.name, site.lang))}</title>",
        f"\t<link>{_x(base_url)}</link>",
        f"\t<description>{_x(_plain(site.slogan, site.lang))}</description>",
        f"\t<language>{lang}</language>",
        "\t<generator>SPIP - www.spip.net</generator>",
        f'\t<atom:link href="{_x(self_url)}" rel="self" type="application/rss+xml" />',
        "",
    ]
    items = [_item(site, a, base_url) for a in arts]
    body = "\n".join(head) + "\n" + "\n\n".join(items) + "\n\n</channel>\n</rss>\n"
    newest = max((to_utc(a.date_modif or a.date) for a in arts), default=None)
    return Page(
        body=body, content_type="application/rss+xml", last_modified=newest, conditional=True
    )


def render_sitemap(site: Site, base_url: str, now: datetime | None = None) -> Page:
    """``sitemap.xml``: home, rubrics, articles (lastmod when modified), hreflang alternates."""
    now = now or datetime.now(UTC)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        f"<url><loc>{_x(base_url)}</loc><changefreq>daily</changefreq><priority>1.0</priority></url>",
    ]
    for rub in sorted(site.rubriques.values(), key=lambda r: r.id):
        out.append(f"<url><loc>{_x(base_url + rub.url)}</loc><changefreq>weekly</changefreq></url>")
    arts = sorted(site.published(), key=lambda a: a.date_modif or a.date, reverse=True)[:2000]
    for art in arts:
        parts = [f"<url><loc>{_x(base_url + art.url)}</loc>"]
        if art.date_modif:
            parts.append(
                f"<lastmod>{to_utc(art.date_modif).strftime('%Y-%m-%dT%H:%M:%SZ')}</lastmod>"
            )
        elif to_utc(art.date) > now - timedelta(days=1):
            parts.append(f"<lastmod>{iso_z(art.date)}</lastmod>")
        for other in site.translations(art):
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{other.lang}" '
                f'href="{_x(base_url + other.url)}" />'
            )
        parts.append("</url>")
        out.append("".join(parts))
    out.append("</urlset>\n")
    return Page(body="\n".join(out), content_type="application/xml")


def render_robots(base_url: str) -> Page:
    """``robots.txt`` as the SPIP dist one, with the sitemap line."""
    body = (
        "# robots.txt\n# @url: " + base_url + "\n# @generator: SPIP\n\n"
        "User-agent: *\nDisallow: /local/\nDisallow: /ecrire/\nDisallow: /plugins/\n"
        "Disallow: /prive/\nDisallow: /squelettes-dist/\nDisallow: /squelettes/\n\n"
        f"Sitemap: {base_url}sitemap.xml\n"
    )
    return Page(body=body, content_type="text/plain")
