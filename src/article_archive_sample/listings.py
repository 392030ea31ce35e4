"""Listing pages: home, rubric, author, keyword, plan, forum form and the 404 page."""

from __future__ import annotations

from article_archive_sample.aside import listing_aside
from article_archive_sample.introduction import introduction
from article_archive_sample.layout import Page, affdate, frame, iso_z
from article_archive_sample.render import breadcrumb, words
from article_archive_sample.site import ArticleSource, Site
from article_archive_sample.typo import InlineContext, escape_text, inline, plain_text, typo_title

__all__ = [
    "PER_PAGE",
    "pagination",
    "render_404",
    "render_author",
    "render_forum",
    "render_home",
    "render_keyword",
    "render_plan",
    "render_rubrique",
]

PER_PAGE = 10  # SPIP's {pagination} default


def pagination(url: str, total: int, debut: int, template: str = "spip3") -> str:
    """SPIP's #PAGINATION for ``debut_articles`` (offsets in SPIP 3, page numbers in SPIP 4)."""
    if total <= PER_PAGE:
        return ""
    offsets = list(range(0, total, PER_PAGE))
    current = min(max(debut, 0) // PER_PAGE * PER_PAGE, offsets[-1])

    def href(offset: int) -> str:
        return f"{url}?debut_articles={offset}#pagination_articles"

    if template == "spip4":
        items = []
        for k, off in enumerate(offsets, 1):
            if off == current:
                items.append(
                    '<li class="pagination-item on active"><span class="pagination-item-label on" '
                    f'aria-label="Page {k}" aria-current="page">{k}</span></li>'
                )
            else:
                items.append(
                    f'<li class="pagination-item"><a href="{href(off)}" '
                    'class="pagination-item-label '
                    f'lien_pagination" rel="nofollow" aria-label="Page {k}">{k}</a></li>'
                )
        if current != offsets[-1]:
            items.append(
                f'<li class="pagination-item next"><a href="{href(current + PER_PAGE)}" '
                'class="pagination-item-label lien_pagination" rel="next nofollow" '
                'aria-label="Page suivante">&gt;</a></li>'
            )
        return (
            '<nav class="p pagination" role="navigation" aria-label="Pagination">'
            '<ul class="pagination-items pagination_page">' + "".join(items) + "</ul></nav>"
        )
    links = []
    for off in offsets:
        if off == current:
            links.append(f'<strong class="on">{off}</strong>')
        else:
            links.append(f'<a href="{href(off)}" class="lien_pagination" rel="nofollow">{off}</a>')
    return (
        '<p class="pagination"><span class="pages">'
        + '<span class="sep"> | </span>'.join(links)
        + "</span></p>"
    )


def _items(site: Site, arts: list[ArticleSource], lang: str, intro: int = 300) -> str:
    rows = []
    for art in arts:
        title = typo_title(art.title, art.lang)
        rows.append(
            '<li class="item hentry">'
            f'<h3 class="h3 entry-title"><a href="{art.url}" rel="bookmark">{title}</a></h3>'
            f'<p class="info-publi"><abbr class="published" title="{iso_z(art.date)}">'
            f"{affdate(art.date.date(), lang)}</abbr></p>"
            '<div class="introduction '
            f'entry-content"><p>{introduction(site, art, intro)}</p></div></li>'
        )
    return '<ul class="liste-items">\n' + "\n".join(rows) + "\n</ul>"


def _paged_list(
    site: Site,
    arts: list[ArticleSource],
    url: str,
    debut: int,
    lang: str,
    template: str,
    heading: str,
) -> str:
    start = min(max(debut, 0) // PER_PAGE * PER_PAGE, max(len(arts) - 1, 0) // PER_PAGE * PER_PAGE)
    shown = arts[start : start + PER_PAGE]
    return (
        '<div class="liste articles">\n<a name="pagination_articles" '
        'id="pagination_articles"></a>\n'
        f'<h2 class="h2">{heading}</h2>\n{_items(site, shown, lang)}\n'
        f"{pagination(url, len(arts), start, template)}\n</div>"
    )


def render_home(site: Site, base_url: str) -> Page:
    """The home page: the 10 latest articles and the rubric menu."""
    latest = site.published()[:PER_PAGE]
    lang = site.lang
    rubs = "".join(
        f'<li><a href="{r.url}">{typo_title(r.title)}</a></li>' for r in site.children(0)
    )
    content = (
        f'<h1 class="invisible">{typo_title(site.name, lang)}</h1>\n'
        f'<div class="chapo"><p>{typo_title(site.slogan, lang)}</p></div>\n'
        '<div class="liste articles">\n<h2 class="h2">Derniers articles</h2>\n'
        f"{_items(site, latest, lang)}\n</div>\n"
        '<div class="liste rubriques">\n<h2 class="h2">Rubriques</h2>\n<ul '
        f'class="liste-items">{rubs}</ul>\n</div>'
    )
    html_page = frame(
        site,
        title=typo_title(site.name, lang),
        content=content,
        aside=listing_aside(site, lang, "spip3", site.name, base_url),
        body_class="page_sommaire",
        lang=lang,
        canonical=base_url,
        description=escape_text(site.slogan),
        feed=("spip.php?page=backend", "Syndiquer tout le site"),
    )
    return Page(body=html_page)


def render_rubrique(site: Site, id_rubrique: int, base_url: str, debut: int = 0) -> Page:
    """A rubric page: descriptif, sub-rubrics, its articles 10 a page."""
    rub = site.rubriques[id_rubrique]
    template = site.template_of(rub.id)
    charset = site.charset_of(rub.id)
    arts = [a for a in site.published() if a.rubrique == rub.id]
    title = typo_title(rub.title, rub.lang)
    parts = [
        breadcrumb(site, rub.parent, rub.title, rub.lang),
        '<div class="cartouche">\n<h1 class="surlignable crayon '
        f'rubrique-titre-{rub.id}">{title}</h1>\n</div>',
    ]
    if rub.descriptif:
        desc = inline(rub.descriptif, InlineContext(rub.lang, "texte"))
        parts.append(
            f'<div class="surlignable crayon rubrique-descriptif-{rub.id} '
            f'chapo"><p>{desc}</p></div>'
        )
    parts.append(_paged_list(site, arts, rub.url, debut, rub.lang, template, "Articles"))
    children = site.children(rub.id)
    if children:
        items = "".join(
            f'<li><a href="{c.url}">{typo_title(c.title, c.lang)}</a></li>' for c in children
        )
        label = "Sous-rubriques" if rub.lang != "en" else "Sub-sections"
        parts.append(
            f'<div class="liste rubriques">\n<h2 class="h2">{label}</h2>\n<ul '
            f'class="liste-items">{items}</ul>\n</div>'
        )
    feed = f"spip.php?page=backend&id_rubrique={rub.id}"
    html_page = frame(
        site,
        title=f"{title} - {typo_title(site.name)}",
        content="\n".join(parts),
        aside=listing_aside(site, rub.lang, template, rub.title, base_url + rub.url),
        body_class="page_rubrique",
        lang=rub.lang,
        charset=charset,
        template=template,
        canonical=base_url + rub.url,
        description=escape_text(rub.descriptif[:150]),
        feed=(feed, plain_text(title)),
        current_rubrique=site.rubric_path(rub.id)[0].id,
    )
    version = "4.2.8" if template == "spip4" else site.spip_version
    return Page(body=html_page, charset=charset, spip_version=version)


def _simple(
    site: Site,
    *,
    title: str,
    body_class: str,
    content: str,
    canonical: str | None,
    status: int = 200,
    extra_head: str = "",
) -> Page:
    aside = listing_aside(site, site.lang, "spip3", title, canonical) if canonical else ""
    html_page = frame(
        site,
        title=f"{title} - {typo_title(site.name)}",
        content=content,
        aside=aside,
        body_class=body_class,
        lang=site.lang,
        canonical=canonical,
        description=escape_text(plain_text(title)),
        extra_head=extra_head,
    )
    return Page(body=html_page, status=status)


def render_author(site: Site, id_auteur: int, base_url: str, debut: int = 0) -> Page:
    """An author page listing the author's articles."""
    author = site.authors[id_auteur]
    arts = [a for a in site.published() if id_auteur in a.authors]
    name = typo_title(author.name)
    content = (
        f'<p class="arbo"><a href="./">Accueil</a> &gt; <strong class="on">{name}</strong></p>\n'
        '<div class="cartouche"><h1 class="surlignable crayon '
        f'auteur-nom-{author.id}">{name}</h1></div>\n'
        + (
            '<div class="chapo crayon '
            f'auteur-bio-{author.id}"><p>{typo_title(author.bio)}</p></div>\n'
            if author.bio
            else ""
        )
        + _paged_list(site, arts, author.url, debut, site.lang, "spip3", "Ses articles")
    )
    return _simple(
        site, title=name, body_class="page_auteur", content=content, canonical=base_url + author.url
    )


def render_keyword(site: Site, id_mot: int, base_url: str, debut: int = 0) -> Page:
    """A keyword page listing the articles tagged with it."""
    mot = site.keywords[id_mot]
    arts = [a for a in site.published() if id_mot in a.keywords]
    title = typo_title(mot.title)
    content = (
        f'<p class="arbo"><a href="./">Accueil</a> &gt; {typo_title(mot.group)} &gt; <strong '
        f'class="on">{title}</strong></p>\n'
        '<div class="cartouche"><h1 class="surlignable crayon '
        f'mot-titre-{mot.id}">{title}</h1></div>\n'
        + _paged_list(site, arts, mot.url, debut, site.lang, "spip3", "Articles")
    )
    return _simple(
        site, title=title, body_class="page_mot", content=content, canonical=base_url + mot.url
    )


def _plan_branch(site: Site, parent: int, by_rub: dict[int, list[ArticleSource]]) -> str:
    items = []
    for rub in site.children(parent):
        arts = by_rub.get(rub.id, [])
        links = "".join(
            f'<li><a href="{a.url}">{typo_title(a.title, a.lang)}</a></li>' for a in arts
        )
        inner = f'<ul class="plan-articles">{links}</ul>' if links else ""
        sub = _plan_branch(site, rub.id, by_rub)
        items.append(
            '<li class="plan-rubrique"><a '
            f'href="{rub.url}">{typo_title(rub.title)}</a>{inner}{sub}</li>'
        )
    return f'<ul class="plan-rubriques">{"".join(items)}</ul>' if items else ""


def render_plan(site: Site, base_url: str) -> Page:
    """``spip.php?page=plan``: every published article, grouped by rubric, unpaginated."""
    by_rub: dict[int, list[ArticleSource]] = {}
    for art in site.published():
        by_rub.setdefault(art.rubrique, []).append(art)
    content = (
        '<p class="arbo"><a href="./">Accueil</a> &gt; <strong class="on">Plan du '
        "site</strong></p>\n"
        '<h1 class="h1">Plan du site</h1>\n<div class="plan">'
        + _plan_branch(site, 0, by_rub)
        + "</div>"
    )
    return _simple(
        site,
        title="Plan du site",
        body_class="page_plan",
        content=content,
        canonical=base_url + "spip.php?page=plan",
    )


def render_forum(site: Site, art: ArticleSource) -> Page:
    """``spip.php?page=forum&id_article=N``: the comment form (not an article)."""
    w = words(art.lang)
    content = (
        f'<h1 class="h1">{w["reply"]}</h1>\n'
        f'<p><a href="{art.url}">{typo_title(art.title, art.lang)}</a></p>\n'
        '<div class="formulaire_spip formulaire_forum ajax" id="formulaire_forum">\n'
        f'<form method="post" action="spip.php?page=forum&amp;id_article={art.id}">'
        f"<input type='hidden' name='id_article' value='{art.id}' />"
        '<label for="texte">Message</label><textarea name="texte" id="texte" rows="10"></textarea>'
        '<input type="submit" class="submit" value="Prévisualiser" /></form>\n</div>'
    )
    return _simple(
        site,
        title=w["reply"],
        body_class="page_forum",
        content=content,
        canonical=None,
        extra_head='<meta name="robots" content="noindex" />',
    )


def render_404(site: Site) -> Page:
    """The 404 page (HTTP status 404)."""
    content = (
        '<div class="cartouche"><h1 class="h1">Page introuvable</h1></div>\n'
        '<div class="chapo"><p>La page demandée n’existe pas ou n’est plus publiée.</p></div>\n'
        '<p><a href="./">Retour à l’accueil</a> ou <a href="spip.php?page=plan">plan du '
        "site</a>.</p>"
    )
    return _simple(
        site,
        title="Page introuvable",
        body_class="page_404",
        content=content,
        canonical=None,
        status=404,
        extra_head='<meta name="robots" content="none" />',
    )
