"""The article page, SPIP 3.2 dist with ESSF flavour (or SPIP 4.2 dist for spip4 rubrics)."""

from __future__ import annotations

from dataclasses import dataclass

from article_archive_sample.aside import article_aside
from article_archive_sample.blocks import RenderContext, propre
from article_archive_sample.forum import forum_block
from article_archive_sample.introduction import introduction
from article_archive_sample.layout import Page, affdate, frame, iso_z, to_utc
from article_archive_sample.site import ArticleSource, Site
from article_archive_sample.sommaire import add_sommaire
from article_archive_sample.typo import Notes, attr, couper, escape_text, plain_text, typo_title

__all__ = ["LANG_NAMES", "RenderedArticle", "render_article", "render_fields"]

LANG_NAMES = {
    "fr": "français",
    "en": "English",
    "es": "español",
    "de": "Deutsch",
    "it": "italiano",
    "pt": "português",
    "ja": "日本語",
    "ko": "한국어",
}
WORDS = {
    "fr": {
        "home": "Accueil",
        "by": "par",
        "redac": "Date de rédaction antérieure&nbsp;: {}",
        "versions": "Toutes les versions de cet article :",
        "same": "Dans la même rubrique",
        "tags": "Mots-clés",
        "tools": "Outils",
        "print": "Version imprimable",
        "share": "Partager",
        "reply": "Répondre à cet article",
        "news": "Lettre d’information",
        "email": "Votre adresse email",
        "subscribe": "S’inscrire",
    },
    "en": {
        "home": "Home",
        "by": "by",
        "redac": "Date first published: {}",
        "versions": "All the versions of this article:",
        "same": "In the same section",
        "tags": "Keywords",
        "tools": "Tools",
        "print": "Printable version",
        "share": "Share",
        "reply": "Reply to this article",
        "news": "Newsletter",
        "email": "Your email address",
        "subscribe": "Subscribe",
    },
}


def words(lang: str) -> dict[str, str]:
    """Interface strings in ``lang`` (French for anything but English)."""
    return WORDS["en" if lang == "en" else "fr"]


@dataclass
class RenderedArticle:
    """The article's fields rendered to HTML (shared by the page, the feed and the listings)."""

    chapo: str
    texte: str
    ps: str
    notes: str


def render_fields(site: Site, art: ArticleSource) -> RenderedArticle:
    """Chapo, texte (with sommaire), P.-S. and notes; notes numbered chapo → texte → P.-S."""
    template = site.template_of(art.rubrique)
    ctx = RenderContext(site=site, lang=art.lang, template=template, notes=Notes())
    chapo = propre(art.chapo, ctx)
    texte = add_sommaire(propre(art.texte, ctx), art.url, template)
    ps = propre(art.ps, ctx)
    assert ctx.notes is not None
    return RenderedArticle(chapo, texte, ps, ctx.notes.render())


def _info_publi(site: Site, art: ArticleSource) -> str:
    w = words(art.lang)
    parts = [
        f'<p class="info-publi"><abbr class="published" title="{iso_z(art.date)}">'
        f"{affdate(art.date.date(), art.lang)}</abbr>"
    ]
    authors = [site.authors[a] for a in art.authors if a in site.authors]
    if authors:
        cards = ", ".join(
            f'<span class="vcard author"><a class="url fn spip_in" href="{a.url}">'
            f"{typo_title(a.name, art.lang)}</a></span>"
            for a in authors
        )
        parts.append(f'<span class="sep">, </span><span class="auteurs">{w["by"]} {cards}</span>')
    if art.date_redac:
        parts.append(" (" + w["redac"].format(affdate(art.date_redac, art.lang, False)) + ").")
    return "".join(parts) + "</p>"


def _traductions(site: Site, art: ArticleSource) -> str:
    group = site.translations(art)
    if not group:
        return ""
    spans = []
    for other in group:
        name = LANG_NAMES.get(other.lang, other.lang)
        if other.id == art.id:
            spans.append(f'<span lang="{other.lang}" class="on">[{name}]</span>')
        else:
            spans.append(
                f'<span lang="{other.lang}" xml:lang="{other.lang}" dir="ltr">[<a '
                f'href="{other.url}" '
                f'rel="alternate" hreflang="{other.lang}" '
                f'title="{attr(plain_text(typo_title(other.title, other.lang)))}">'
                f"{name}</a>]</span>"
            )
    return f'<p class="traductions">{words(art.lang)["versions"]} ' + " ".join(spans) + "</p>"


def breadcrumb(site: Site, id_rubrique: int, last: str, lang: str) -> str:
    """``p.arbo``: Accueil > rubric > … > current (titles cut to 80 characters)."""
    links = [f'<a href="./">{words(lang)["home"]}</a>']
    for rub in site.rubric_path(id_rubrique):
        links.append(
            f'<a href="{rub.url}">{escape_text(couper(plain_text(typo_title(rub.title)), 80))}</a>'
        )
    current = escape_text(couper(plain_text(typo_title(last, lang)), 80))
    links.append(f'<strong class="on">{current}</strong>')
    return '<p class="arbo">' + " &gt; ".join(links).replace("&amp;nbsp;", "&nbsp;") + "</p>"


def render_article(site: Site, art: ArticleSource, base_url: str) -> Page:
    """The whole article page."""
    n = art.id
    template = site.template_of(art.rubrique)
    charset = site.charset_of(art.rubrique)
    fields = render_fields(site, art)
    title = typo_title(art.title, art.lang)
    logo = ""
    extra = []
    if art.logo:
        src = attr(art.logo)
        logo = f'<img class="spip_logo spip_logos" alt="" src="{src}" width="150" height="100" /> '
        extra.append(f'<meta property="og:image" content="{attr(base_url + art.logo)}" />')
    extra.append(f'<meta property="og:title" content="{attr(plain_text(title))}" />')
    for other in site.translations(art):
        extra.append(
            f'<link rel="alternate" hreflang="{other.lang}" href="{attr(base_url + other.url)}" />'
        )
    if art.date_modif:
        extra.append(f'<meta property="article:modified_time" content="{iso_z(art.date_modif)}" />')
    cart = ['<div class="cartouche">']
    if art.surtitle:
        cart.append(
            '<p class="surtitre crayon '
            f'article-surtitre-{n}">{typo_title(art.surtitle, art.lang)}</p>'
        )
    cart.append(f'<h1 class="surlignable entry-title crayon article-titre-{n}">{logo}{title}</h1>')
    if art.subtitle:
        cart.append(
            '<p class="soustitre crayon '
            f'article-soustitre-{n}">{typo_title(art.subtitle, art.lang)}</p>'
        )
    cart.append(_info_publi(site, art))
    cart.append(_traductions(site, art))
    cart.append("</div>")
    body = [breadcrumb(site, art.rubrique, art.title, art.lang), "\n".join(c for c in cart if c)]
    if fields.chapo:
        body.append(f'<div class="surlignable crayon article-chapo-{n} chapo">{fields.chapo}</div>')
    body.append(f'<div class="surlignable crayon article-texte-{n} texte">{fields.texte}</div>')
    if fields.ps:
        body.append(
            '<div class="ps surlignable"><hr />\n<div class="crayon '
            f'article-ps-{n}">{fields.ps}</div></div>'
        )
    if fields.notes:
        body.append(f'<div class="notes surlignable"><hr />\n{fields.notes}\n</div>')
    body.append(forum_block(site, art, template))
    html_page = frame(
        site,
        title=f"{title} - {typo_title(site.name, site.lang)}",
        content="\n".join(body),
        aside=article_aside(site, art, base_url, template),
        body_class="page_article",
        lang=art.lang,
        charset=charset,
        template=template,
        canonical=base_url + art.url,
        description=introduction(site, art, 150),
        extra_head="\n".join(extra),
        current_rubrique=site.rubric_path(art.rubrique)[0].id
        if site.rubric_path(art.rubrique)
        else None,
    )
    return Page(
        body=html_page,
        charset=charset,
        spip_version="4.2.8" if template == "spip4" else site.spip_version,
        last_modified=to_utc(art.date_modif or art.date),
        conditional=True,
    )
