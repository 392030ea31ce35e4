"""The chrome every sample page carries around its content, as a themed SPIP 3/4 site would.

Head (favicons, style sheets, inline theme CSS, script configuration, social metas), header
(logo, language menu, search form), the rubric tree as a nested menu, and the footer (about,
per-rubric feeds, practical links, credits, statistics). Our own markup, modelled on SPIP dist
and the themes of real SPIP sites; nothing depends on the clock.
"""

from __future__ import annotations

from article_archive_sample.assets import INLINE_CONFIG, STATS_SCRIPT, THEME_CSS, svg_sprite
from article_archive_sample.site import Site
from article_archive_sample.typo import attr, couper, escape_text, plain_text, typo_title

__all__ = ["chrome_words", "footer", "head_links", "head_scripts", "header", "social_metas"]

LANGS = {"fr": "français", "en": "English"}
_WORDS = {
    "fr": {
        "lang": "Langue",
        "search": "Rechercher",
        "search_label": "Rechercher&nbsp;:",
        "latest": "À la une",
        "subs": "Dans cette rubrique",
        "about": "À propos",
        "about_text": "Un site d’information militant, animé par des bénévoles, qui traduit et "
        "publie des nouvelles des luttes sociales, écologistes et féministes. Les articles "
        "peuvent être repris en citant la source et l’adresse de la page.",
        "follow": "Suivre le site",
        "feed_all": "Tout le site",
        "practical": "Pratique",
        "plan": "Plan du site",
        "contact": "Contact",
        "legal": "Mentions légales",
        "support": "Nous soutenir",
        "private": "Espace rédaction",
        "top": "Haut de page",
        "skip": "Aller au contenu",
    },
    "en": {
        "lang": "Language",
        "search": "Search",
        "search_label": "Search:",
        "latest": "Latest",
        "subs": "In this section",
        "about": "About",
        "about_text": "A volunteer-run activist news site that translates and publishes news of "
        "social, environmental and feminist struggles. Articles may be reprinted with a link "
        "to their page.",
        "follow": "Follow the site",
        "feed_all": "The whole site",
        "practical": "Practical",
        "plan": "Site map",
        "contact": "Contact",
        "legal": "Legal notice",
        "support": "Support us",
        "private": "Editors' area",
        "top": "Back to top",
        "skip": "Skip to content",
    },
}
_LOGO = (
    '<svg class="logo_site" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="56" '
    'height="56" role="img" aria-label="logo"><circle cx="32" cy="32" r="30" fill="#b3261e"/>'
    '<path d="M8 38c8-6 16-6 24 0s16 6 24 0v8c-8 6-16 6-24 0s-16-6-24 0z" fill="#fbfaf7"/>'
    '<path d="M18 24l14-12 14 12v6H18z" fill="#fbfaf7"/></svg>'
)


def chrome_words(lang: str) -> dict[str, str]:
    """Interface strings of the chrome in ``lang`` (French for anything but English)."""
    return _WORDS["en" if lang == "en" else "fr"]


def head_links(template: str) -> list[str]:
    """Favicons, theme style sheets and the inline theme CSS (after dist's own CSS links)."""
    version = "?1711000000"
    css = ["css/font.css", "css/typo.css", "css/form.css", "css/layout.css", "css/theme.css"]
    if template == "spip4":
        css = ["css/box.css", "css/box_skins.css", "css/layout.css", "css/theme.css"]
    lines = [
        '<link rel="icon" type="image/x-icon" href="squelettes/favicon.ico" />',
        '<link rel="icon" type="image/png" sizes="32x32" href="squelettes/favicon-32.png" />',
        '<link rel="icon" type="image/png" sizes="192x192" href="squelettes/favicon-192.png" />',
        '<link rel="apple-touch-icon" sizes="180x180" href="squelettes/apple-touch-icon.png" />',
        '<link rel="manifest" href="squelettes/site.webmanifest" />',
        '<link rel="preconnect" href="https://fonts.example.net" crossorigin="anonymous" />',
    ]
    lines += [
        f'<link rel="stylesheet" href="squelettes/{path}{version}" type="text/css" />'
        for path in css
    ]
    lines += [
        '<link rel="stylesheet" href="plugins/auto/mediabox/colorbox/black-striped/'
        'colorbox.css" type="text/css" media="all" />',
        '<link rel="stylesheet" href="local/cache-css/cssdyn-css_print_css-6b1c2e37.css" '
        'type="text/css" media="print" />',
        f'<style type="text/css">\n{THEME_CSS}\n</style>',
    ]
    return lines


def head_scripts(lang: str, page: str, objet: str) -> list[str]:
    """The configuration script and the script files of the theme and plugins."""
    config = INLINE_CONFIG % {"lang": lang, "page": page, "objet": objet}
    srcs = [
        "prive/javascript/jquery.form.js?1580000000",
        "prive/javascript/jquery.autosave.js?1580000000",
        "prive/javascript/jquery.placeholder-label.js?1580000000",
        "prive/javascript/ajaxCallback.js?1580000000",
        "prive/javascript/js.cookie.js?1580000000",
        "plugins/auto/mediabox/javascript/jquery.colorbox.js?1580000000",
        "plugins/auto/mediabox/javascript/spip.mediabox.js?1580000000",
        "squelettes/js/menu.js?1711000000",
    ]
    return [f'<script type="text/javascript">{config}</script>'] + [
        f'<script src="{src}" type="text/javascript"></script>' for src in srcs
    ]


def social_metas(
    site: Site,
    *,
    lang: str,
    title: str,
    description: str,
    canonical: str | None,
    kind: str,
    og_title: bool,
) -> list[str]:
    """OpenGraph and Twitter card metas (``og:title`` unless the page gives its own)."""
    name = attr(plain_text(typo_title(site.name, site.lang)))
    text = attr(plain_text(title))
    desc = attr(plain_text(description))
    locale = "en_GB" if lang == "en" else "fr_FR"
    lines = [
        f'<meta property="og:site_name" content="{name}" />',
        f'<meta property="og:type" content="{kind}" />',
        f'<meta property="og:locale" content="{locale}" />',
    ]
    if canonical:
        lines.append(f'<meta property="og:url" content="{attr(canonical)}" />')
    if og_title:
        lines.append(f'<meta property="og:title" content="{text}" />')
    lines += [
        f'<meta property="og:description" content="{desc}" />',
        '<meta name="twitter:card" content="summary_large_image" />',
        '<meta name="twitter:site" content="@solidarites_example" />',
        f'<meta name="twitter:title" content="{text}" />',
        f'<meta name="twitter:description" content="{desc}" />',
    ]
    return lines


def _lang_menu(lang: str, template: str) -> str:
    """SPIP's #MENU_LANG: a small form posting to ``action=converser``."""
    selected = ' selected="selected"'
    options = "".join(
        f'<option value="{code}"{selected if code == lang else ""}>{name}</option>'
        for code, name in LANGS.items()
    )
    w = chrome_words(lang)
    role = ' role="navigation"' if template == "spip4" else ""
    return (
        f'<div{role} class="formulaire_spip formulaire_menu_lang" id="formulaire_menu_lang">'
        '<form action="spip.php?action=converser" method="post"><div>'
        '<input name="action" value="converser" type="hidden" />'
        '<input name="redirect" value="./" type="hidden" />'
        f'<label for="var_lang">{w["lang"]}</label>'
        '<select name="var_lang" id="var_lang" onchange="this.parentNode.parentNode.submit()">'
        f"{options}</select>"
        '<noscript><div><input type="submit" class="submit" value="&gt;&gt;" /></div></noscript>'
        "</div></form></div>"
    )


def _search_form(lang: str, template: str) -> str:
    """SPIP's #FORMULAIRE_RECHERCHE."""
    w = chrome_words(lang)
    role = ' role="search"' if template == "spip4" else ""
    return (
        '<div class="formulaire_spip formulaire_recherche" id="formulaire_recherche">'
        f'<form action="spip.php?page=recherche" method="get"{role}><div class="editer-groupe">'
        '<input name="page" value="recherche" type="hidden" />'
        f'<input name="lang" value="{lang}" type="hidden" />'
        f'<label for="recherche">{w["search_label"]}</label>'
        '<input type="search" class="search text" size="10" name="recherche" id="recherche" '
        'accesskey="4" autocapitalize="off" autocorrect="off" />'
        f'<button type="submit" class="submit" title="{w["search"]}"><svg class="icon" '
        'aria-hidden="true"><use xlink:href="#icon-search"></use></svg>'
        f'<span class="invisible">{w["search"]}</span></button></div></form></div>'
    )


def _rubric_menu(site: Site, parent: int, current: int | None, lang: str, template: str) -> str:
    """The rubric tree as nested menu items, each top entry with its latest articles."""
    w = chrome_words(lang)
    item = "menu-entree item menu-items__item" if template == "spip4" else "menu-entree"
    items = []
    for rub in site.children(parent):
        on = ' class="on"' if rub.id == current and parent == 0 else ""
        title = typo_title(rub.title, rub.lang)
        inner = ""
        subs = _rubric_menu(site, rub.id, current, lang, template)
        if parent == 0:
            branch = site.branch(rub.id)
            latest = [a for a in site.published() if a.rubrique in branch][:4]
            links = "".join(
                f'<li><a href="{a.url}">{typo_title(a.title, a.lang)}</a></li>' for a in latest
            )
            desc = escape_text(couper(plain_text(typo_title(rub.descriptif, rub.lang)), 120))
            inner = (
                '<div class="sous-menu">'
                + (f'<p class="descriptif">{desc}</p>' if rub.descriptif else "")
                + (f'<p class="sous-menu-titre">{w["subs"]}</p>{subs}' if subs else "")
                + (
                    f'<p class="sous-menu-titre">{w["latest"]}</p>'
                    f'<ul class="sous-menu-articles">{links}</ul>'
                    if links
                    else ""
                )
                + "</div>"
            )
            subs = ""
        items.append(f'<li class="{item}"><a href="{rub.url}"{on}>{title}</a>{inner}{subs}</li>')
    if not items:
        return ""
    return f'<ul class="menu-liste menu-items">{"".join(items)}</ul>'


def header(site: Site, *, lang: str, template: str, current_rubrique: int | None) -> str:
    """Skip link, SVG sprite, header (logo, slogan, language menu, search) and the nav."""
    name = typo_title(site.name, site.lang)
    slogan = typo_title(site.slogan, site.lang) if site.slogan else ""
    w = chrome_words(lang)
    tools = _lang_menu(lang, template) + _search_form(lang, template)
    menu = _rubric_menu(site, 0, current_rubrique, lang, template)
    start = f'<a class="skip-link invisible" href="#content">{w["skip"]}</a>\n{svg_sprite()}'
    home = f'<a rel="start home" href="./" title="Accueil">{_LOGO}<span class="nom_site_spip">'
    if template == "spip4":
        return "\n".join(
            [
                start,
                f'<header class="header" role="banner"><div class="accueil">{home}{name}'
                f'</span></a><p class="slogan">{slogan}</p></div>',
                f'<div class="header-outils">{tools}</div></header>',
                f'<nav class="nav" role="navigation">{menu}</nav>',
            ]
        )
    return "\n".join(
        [
            start,
            f'<div class="header" id="header">\n<p class="accueil">{home}{name}</span></a><br />'
            f'<span class="slogan">{slogan}</span></p>',
            f'<div class="bandeau-outils">{tools}</div>\n</div>',
            f'<div class="nav clearfix" id="nav">\n{menu}\n</div>',
        ]
    )


def footer(site: Site, *, lang: str, template: str, colophon: str, page: str) -> str:
    """The footer: about, per-rubric feeds, practical links, the colophon (credits)."""
    w = chrome_words(lang)
    feeds = [
        f'<li><a href="spip.php?page=backend" type="application/rss+xml">{w["feed_all"]}</a></li>'
    ]
    for rub in sorted(site.rubriques.values(), key=lambda r: r.id):
        feeds.append(
            f'<li><a href="spip.php?page=backend&amp;id_rubrique={rub.id}" '
            f'type="application/rss+xml" title="RSS">{typo_title(rub.title, rub.lang)}</a></li>'
        )
    icon = '<svg class="icon" aria-hidden="true"><use xlink:href="#icon-rss"></use></svg>'
    feeds = [f.replace('">', '">' + icon, 1) if "backend" in f else f for f in feeds]
    practical = [
        ("spip.php?page=plan", w["plan"]),
        ("spip.php?page=contact", w["contact"]),
        ("spip.php?page=mentions", w["legal"]),
        ("spip.php?page=don", w["support"]),
        ("ecrire/", w["private"]),
    ]
    links = "".join(f'<li><a href="{u}" rel="nofollow">{t}</a></li>' for u, t in practical)
    cols = (
        f'<div class="colonnes">\n<div class="colonne a-propos"><h2>{w["about"]}</h2><p>'
        f"{w['about_text']}</p></div>\n"
        f'<div class="colonne abonnements"><h2>{w["follow"]}</h2><ul>{"".join(feeds)}</ul></div>\n'
        f'<div class="colonne pratique"><h2>{w["practical"]}</h2><ul>{links}</ul></div>\n</div>\n'
        f'<p class="haut"><a href="#header">{w["top"]}</a></p>\n{colophon}'
    )
    stats = (
        f'<script type="text/javascript">\n{STATS_SCRIPT % {"page": page}}\n</script>\n'
        '<script src="stats/compteur.js" async="async" type="text/javascript"></script>\n'
        '<noscript><p><img src="stats/compteur.php?idsite=3&amp;rec=1" style="border:0" '
        'alt="" /></p></noscript>'
    )
    if template == "spip4":
        return f'<footer class="footer" role="contentinfo">\n{cols}\n</footer>\n{stats}'
    return f'<div class="footer clearfix" id="footer">\n{cols}\n</div>\n{stats}'
