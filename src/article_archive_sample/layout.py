"""The page frame of SPIP 3.2 and SPIP 4.2 dist (head, header, menu, footer), dates, Page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from article_archive_sample import chrome
from article_archive_sample.site import Site
from article_archive_sample.typo import attr

__all__ = [
    "SPIP4_VERSION",
    "Page",
    "affdate",
    "composed_by",
    "frame",
    "http_date",
    "iso_z",
    "to_utc",
]

PARIS = ZoneInfo("Europe/Paris")
SPIP4_VERSION = "4.2.8"
_PLUGINS = {
    "3": "spip(3.2.7),compagnon(2.1.0),dump(1.1.1),images(1.2.0),forum(1.11.2),mediabox(1.1.4),"
    "porte_plume(1.18.1),safehtml(1.2.0),couteau_suisse(1.11.3),crayons(1.28.1)",
    "4": "spip(4.2.8),aide(3.1.0),archiviste(2.2.0),compagnon(3.1.0),forum(5.2.1),"
    "mediabox(3.1.0),medias(4.2.0),sommaire(1.2.3),textwheel(3.2.0)",
}
DAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}


@dataclass
class Page:
    """A rendered answer: body text plus what the server needs for its headers."""

    body: str
    status: int = 200
    content_type: str = "text/html"
    charset: str = "utf-8"
    spip_version: str = "3.2.7"
    last_modified: datetime | None = None
    conditional: bool = False  # send ETag/Last-Modified and honour If-None-Match/-Modified-Since
    headers: dict[str, str] = field(default_factory=dict)


def to_utc(local: datetime) -> datetime:
    """A naive Europe/Paris time as an aware UTC datetime (what SPIP puts in ISO dates)."""
    return local.replace(tzinfo=PARIS).astimezone(UTC)


def iso_z(local: datetime) -> str:
    """``2023-10-12T07:30:00Z`` from a naive Europe/Paris time."""
    return to_utc(local).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(moment: datetime) -> str:
    """An aware datetime as an HTTP date."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def affdate(day: date, lang: str = "fr", weekday: bool = True) -> str:
    """SPIP's affdate: ``jeudi 12 octobre 2023`` / ``Thursday 12 October 2023`` (``1er`` in fr)."""
    lang = "fr" if lang != "en" else "en"
    num = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    text = f"{num} {MONTHS[lang].split()[day.month - 1]} {day.year}"
    return f"{DAYS[lang][day.weekday()]} {text}" if weekday else text


def composed_by(version: str) -> str:
    """The ``Composed-By`` header value of a SPIP of this version."""
    short = version.split()[0]
    plugins = _PLUGINS["4" if short.startswith("4") else "3"]
    return f"SPIP {short} @ www.spip.net + {plugins}"


def _head(
    site: Site,
    *,
    title: str,
    description: str,
    canonical: str | None,
    charset: str,
    feed: tuple[str, str] | None,
    template: str,
    extra_head: str,
    lang: str,
    body_class: str,
) -> str:
    version = SPIP4_VERSION if template == "spip4" else site.spip_version
    lines = [
        "<head>",
        "<script type='text/javascript'>/*<![CDATA[*/(function(H){H.className=H.className"
        ".replace(/\\bno-js\\b/,'js')})(document.documentElement);/*]]>*/</script>",
        '<meta charset="utf-8">'
        if template == "spip4"
        else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />',
        f"<title>{title}</title>",
        f'<meta name="description" content="{description.replace(chr(34), "&quot;")}" />',
    ]
    if canonical:
        lines.append(f'<link rel="canonical" href="{attr(canonical)}" />')
    lines += [
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />',
        '<link rel="alternate" type="application/rss+xml" title="Syndiquer tout le site" '
        'href="spip.php?page=backend" />',
    ]
    if feed and feed[0] != "spip.php?page=backend":
        lines.append(
            f'<link rel="alternate" type="application/rss+xml" title="{attr(feed[1])}" '
            f'href="{attr(feed[0])}" />'
        )
    page = body_class.removeprefix("page_")
    lines += [
        '<link rel="stylesheet" href="squelettes-dist/css/reset.css" type="text/css" />',
        '<link rel="stylesheet" href="squelettes-dist/css/spip.css" type="text/css" />',
        '<link rel="stylesheet" href="plugins/auto/couteau_suisse/outils/sommaire.css" '
        'type="text/css" media="all" />',
        "<!-- insert_head_css -->",
        *chrome.head_links(template),
        '<script src="prive/javascript/jquery.js?1580000000" type="text/javascript"></script>',
        *chrome.head_scripts(lang, page, "article" if page == "article" else page),
        "<!-- insert_head -->",
        *chrome.social_metas(
            site,
            lang=lang,
            title=title.rsplit(" - ", 1)[0],
            description=description,
            canonical=canonical,
            kind="article" if page == "article" else "website",
            og_title="og:title" not in extra_head,
        ),
        extra_head,
        f'<meta name="generator" content="SPIP {attr(version)}" />',
        "</head>",
    ]
    return "\n".join(line for line in lines if line)


def frame(
    site: Site,
    *,
    title: str,
    content: str,
    aside: str = "",
    body_class: str = "page_sommaire",
    lang: str = "fr",
    charset: str = "utf-8",
    template: str = "spip3",
    canonical: str | None = None,
    description: str = "",
    feed: tuple[str, str] | None = None,
    extra_head: str = "",
    current_rubrique: int | None = None,
) -> str:
    """Wrap ``content`` (the ``div#content`` inside) and ``aside`` into a whole HTML page."""
    head = _head(
        site,
        title=title,
        description=description,
        canonical=canonical,
        charset=charset,
        feed=feed,
        template=template,
        extra_head=extra_head,
        lang=lang,
        body_class=body_class,
    )
    top = chrome.header(site, lang=lang, template=template, current_rubrique=current_rubrique)
    colophon = (
        '<p class="colophon"><a href="spip.php?page=plan">Plan du site</a>'
        '<span class="sep"> | </span><a href="spip.php?page=login&amp;url=.%2F" rel="nofollow" '
        'class="login_modal">Se connecter</a><span class="sep"> | </span>'
        '<a rel="contents" href="spip.php?page=plan">Contact</a><span class="sep"> | </span>'
        '<a href="spip.php?page=backend" rel="alternate" title="Syndiquer tout le '
        'site">RSS&nbsp;2.0</a>'
        '</p>\n<p class="generator"><a href="https://www.spip.net/" rel="generator" '
        'title="Site réalisé avec SPIP" class="spip_out">SPIP</a></p>'
    )
    bottom = chrome.footer(
        site, lang=lang, template=template, colophon=colophon, page=body_class.removeprefix("page_")
    )
    cron = "<!-- SPIP-CRON --><div style=\"background-image: url('spip.php?action=cron');\"></div>"
    if template == "spip4":
        return "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html class="ltr {lang} no-js" xmlns="http://www.w3.org/1999/xhtml" '
                f'lang="{lang}" dir="ltr">',
                head,
                f'<body class="{body_class}">',
                '<div class="page">\n<div class="container">',
                top,
                '<div class="main-wrapper">\n<main class="main" role="main">',
                '<div class="wrapper hfeed">\n<div class="content hentry" '
                f'id="content">\n{content}\n'
                "</div><!--.content-->\n</div><!--.wrapper-->",
                "</main><!--.main-->",
                f'<aside class="aside" role="complementary">\n{aside}\n</aside><!--.aside-->',
                "</div><!--.main-wrapper-->",
                bottom,
                "</div><!--.container-->\n</div><!--.page-->",
                cron,
                "</body>\n</html>\n",
            ]
        )
    return "\n".join(
        [
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
            f'<!--[if lt IE 9 ]> <html dir="ltr" lang="{lang}" class="ltr {lang} ie"> <![endif]-->',
            f'<!--[if (gte IE 9)|!(IE)]><!--> <html dir="ltr" lang="{lang}" class="ltr {lang} '
            'no-js"> '
            "<!--<![endif]-->",
            head,
            f'<body class="{body_class}">',
            '<div class="page">',
            top,
            '<div class="main">',
            f'<div class="wrapper hfeed">\n<div class="content hentry" id="content">\n{content}\n'
            "</div><!--.content-->\n</div><!--.wrapper-->",
            f'<div class="aside">\n{aside}\n</div><!--.aside-->',
            "</div><!--.main-->",
            bottom,
            "</div><!--.page-->",
            cron,
            "</body>\n</html>\n",
        ]
    )
