"""The aside of the sample pages: related lists, keywords, "Sur le web", agenda, share, forms.

SPIP 3 pages get dist's ``div.menu`` boxes; SPIP 4 pages get ``section.box`` boxes with
``h2.box-title``. Every list is deterministic: "Derniers articles" are the newest of the site,
the agenda shows the month of the article (or of the newest article on listings).
"""

from __future__ import annotations

import calendar
import threading
from datetime import datetime
from urllib.parse import quote

from article_archive_sample.introduction import introduction
from article_archive_sample.layout import MONTHS, affdate, iso_z
from article_archive_sample.site import ArticleSource, Site
from article_archive_sample.typo import attr, plain_text, typo_title

__all__ = ["article_aside", "listing_aside"]

_WORDS = {
    "fr": {
        "same": "Dans la même rubrique",
        "latest": "Derniers articles",
        "tags": "Mots-clés",
        "web": "Sur le web",
        "agenda": "Agenda",
        "next": "Prochains rendez-vous",
        "all_events": "Tout l’agenda",
        "days": "lu ma me je ve sa di",
        "share": "Partager",
        "tools": "Outils",
        "print": "Version imprimable",
        "mail": "Envoyer par courriel",
        "on": "Partager sur",
        "don": "Soutenir le site",
        "don_text": "Ce site vit des dons de ses lectrices et lecteurs&nbsp;: pas de publicité, "
        "pas d’actionnaire. Un don régulier, même modeste, paie l’hébergement et les "
        "traductions.",
        "don_button": "Faire un don",
        "news": "Lettre d’information",
        "news_text": "Une lettre par semaine avec les articles publiés et les rendez-vous.",
        "email": "Votre adresse email",
        "subscribe": "S’inscrire",
    },
    "en": {
        "same": "In the same section",
        "latest": "Latest articles",
        "tags": "Keywords",
        "web": "On the web",
        "agenda": "Agenda",
        "next": "Coming up",
        "all_events": "Full agenda",
        "days": "Mo Tu We Th Fr Sa Su",
        "share": "Share",
        "tools": "Tools",
        "print": "Printable version",
        "mail": "Send by email",
        "on": "Share on",
        "don": "Support the site",
        "don_text": "This site lives on its readers' donations: no advertising, no "
        "shareholders. A regular gift, however small, pays for hosting and translations.",
        "don_button": "Donate",
        "news": "Newsletter",
        "news_text": "One letter a week with the new articles and the events.",
        "email": "Your email address",
        "subscribe": "Subscribe",
    },
}
_intros: dict[tuple[int, int, int], str] = {}
_intros_site: list[Site] = []
_lock = threading.Lock()


def _w(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "fr"]


def _intro(site: Site, art: ArticleSource, length: int) -> str:
    """#INTRODUCTION cut to ``length``, remembered while the site is the same object."""
    key = (id(site), art.id, length)
    with _lock:
        if not _intros_site or _intros_site[0] is not site:
            _intros_site[:] = [site]
            _intros.clear()
        found = _intros.get(key)
    if found is None:
        found = introduction(site, art, length)
        with _lock:
            if _intros_site and _intros_site[0] is site:
                _intros[key] = found
    return found


def _box(template: str, kind: str, title: str, inner: str) -> str:
    if template == "spip4":
        return (
            f'<section class="box box-{kind.split()[0].replace("_", "-")} {kind}">'
            f'<h2 class="box-title">{title}</h2>\n<div class="box-body">{inner}</div></section>'
        )
    return f'<div class="menu {kind}">\n<h2>{title}</h2>\n{inner}\n</div>'


def _same_rubric(site: Site, art: ArticleSource, template: str) -> str:
    same = [a for a in site.published() if a.rubrique == art.rubrique and a.id != art.id][:10]
    if not same:
        return ""
    items = "".join(f'<li><a href="{a.url}">{typo_title(a.title, a.lang)}</a></li>' for a in same)
    return _box(template, "menu_articles", _w(art.lang)["same"], f"<ul>{items}</ul>")


def _latest(site: Site, lang: str, template: str, exclude: int | None) -> str:
    latest = [a for a in site.published() if a.id != exclude][:10]
    items = "".join(
        f'<li><a href="{a.url}">{typo_title(a.title, a.lang)}</a>'
        f'<span class="intro">{_intro(site, a, 110)}</span></li>'
        for a in latest
    )
    return _box(template, "menu_derniers", _w(lang)["latest"], f"<ul>{items}</ul>")


def _keywords(site: Site, art: ArticleSource, template: str) -> str:
    tags = [site.keywords[k] for k in art.keywords if k in site.keywords]
    if not tags:
        return ""
    groups: dict[str, list] = {}
    for mot in tags:
        groups.setdefault(mot.group, []).append(mot)
    inner = []
    for group, mots in groups.items():
        items = "".join(
            f'<li><a href="{k.url}" rel="tag">{typo_title(k.title)}</a></li>' for k in mots
        )
        label = f'<h3 class="groupe_mots">{typo_title(group)}</h3>' if group else ""
        inner.append(f"{label}<ul>{items}</ul>")
    return _box(template, "menu_mots", _w(art.lang)["tags"], "\n".join(inner))


def _syndic(site: Site, lang: str, template: str) -> str:
    if not site.syndic:
        return ""
    blocks = []
    for s in site.syndic:
        items = "".join(
            f'<li><a href="{attr(url)}" class="spip_out" rel="external">{typo_title(t, lang)}</a>'
            "</li>"
            for t, url in s.latest
        )
        desc = f'<p class="descriptif">{typo_title(s.descriptif, lang)}</p>' if s.descriptif else ""
        blocks.append(
            f'<div class="site site-{s.id}"><h3 class="site_syndic"><a href="{attr(s.url)}" '
            f'class="spip_out" rel="external">{typo_title(s.name, lang)}</a></h3>{desc}'
            f'<ul class="syndic_articles">{items}</ul></div>'
        )
    return _box(template, "syndic", _w(lang)["web"], "\n".join(blocks))


def _calendar(site: Site, ref: datetime, lang: str) -> str:
    """The month of ``ref`` as a table, days with an event linked to it."""
    month_of = (ref.year, ref.month)
    events = {e.date.day: e for e in site.agenda if (e.date.year, e.date.month) == month_of}
    month = MONTHS["en" if lang == "en" else "fr"].split()[ref.month - 1]
    head = "".join(f'<th scope="col">{d}</th>' for d in _w(lang)["days"].split())
    rows = []
    for week in calendar.Calendar().monthdayscalendar(ref.year, ref.month):
        cells = []
        for day in week:
            if day == 0:
                cells.append('<td class="hors_mois"></td>')
            elif day in events:
                e = events[day]
                cells.append(
                    f'<td class="evenement"><a href="spip.php?page=evenement&amp;id_evenement='
                    f'{e.id}" title="{attr(plain_text(typo_title(e.title, lang)))}">{day}</a></td>'
                )
            else:
                cells.append(f"<td>{day}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="calendrier"><caption>{month} {ref.year}</caption><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _agenda(site: Site, lang: str, template: str, ref: datetime) -> str:
    if not site.agenda:
        return ""
    w = _w(lang)
    upcoming = [e for e in site.agenda if e.date >= ref][:3]
    if len(upcoming) < 3:
        upcoming = site.agenda[-3:]
    items = "".join(
        f'<li class="vevent"><abbr class="dtstart" title="{iso_z(e.date)}">'
        f"{affdate(e.date.date(), lang, False)}</abbr> "
        f'<a href="spip.php?page=evenement&amp;id_evenement={e.id}" class="summary">'
        f"{typo_title(e.title, lang)}</a>"
        + (f' <span class="lieu location">{typo_title(e.place, lang)}</span>' if e.place else "")
        + "</li>"
        for e in upcoming
    )
    inner = (
        f'{_calendar(site, ref, lang)}\n<h3>{w["next"]}</h3><ul class="liste_evenements">'
        f'{items}</ul><p class="tout"><a href="spip.php?page=agenda">{w["all_events"]}</a></p>'
    )
    return _box(template, "agenda", w["agenda"], inner)


def _share(title: str, url: str, lang: str, template: str, id_article: int | None) -> str:
    w = _w(lang)
    link = quote(url, safe="")
    text = quote(plain_text(title), safe="")

    def icon(name: str) -> str:
        return f'<svg class="icon" aria-hidden="true"><use xlink:href="#icon-{name}"></use></svg>'

    items = [
        f'<li><a href="https://www.facebook.com/sharer/sharer.php?u={link}" class="partage-facebook'
        f'" rel="nofollow noopener" target="_blank" title="{w["on"]} Facebook">{icon("facebook")}'
        '<span class="invisible">Facebook</span></a></li>',
        f'<li><a href="https://mastodon.example.social/share?text={text}%20{link}" class="partage'
        f'-mastodon" rel="nofollow noopener" target="_blank" title="{w["on"]} Mastodon">'
        f'{icon("mastodon")}<span class="invisible">Mastodon</span></a></li>',
        f'<li><a href="mailto:?subject={text}&amp;body={link}" rel="nofollow" class="partager" '
        f'title="{w["mail"]}">{icon("mail")}<span class="invisible">{w["share"]}</span></a></li>',
    ]
    if id_article is not None:
        items.append(
            f'<li><a href="spip.php?page=imprimer&amp;id_article={id_article}" rel="nofollow" '
            f'class="imprimer">{icon("print")}{w["print"]}</a></li>'
        )
    return _box(template, "outils partage", w["share"], f"<ul>{''.join(items)}</ul>")


def _don(lang: str, template: str) -> str:
    w = _w(lang)
    inner = (
        f'<svg class="icon" aria-hidden="true"><use xlink:href="#icon-heart"></use></svg>'
        f'<p>{w["don_text"]}</p><a class="bouton" href="spip.php?page=don">{w["don_button"]}</a>'
    )
    return _box(template, "don encart", w["don"], inner)


def _newsletter(lang: str) -> str:
    w = _w(lang)
    return (
        '<div class="formulaire_spip formulaire_newsletter ajax" id="formulaire_newsletter">\n'
        f'<h2>{w["news"]}</h2>\n<p class="explication">{w["news_text"]}</p>'
        '<form method="post" action="spip.php?page=newsletter">'
        '<input type="hidden" name="formulaire_action" value="newsletter" />'
        f'<label for="email_nl">{w["email"]}</label>'
        '<input type="email" name="email" id="email_nl" class="text" />'
        f'<input type="submit" class="submit" value="{w["subscribe"]}" /></form>\n</div>'
    )


def article_aside(site: Site, art: ArticleSource, base_url: str, template: str) -> str:
    """The aside of an article page."""
    parts = [
        _same_rubric(site, art, template),
        _keywords(site, art, template),
        _share(art.title, base_url + art.url, art.lang, template, art.id),
        _latest(site, art.lang, template, art.id),
        _syndic(site, art.lang, template),
        _agenda(site, art.lang, template, art.date),
        _don(art.lang, template),
        _newsletter(art.lang),
    ]
    return "\n".join(p for p in parts if p)


def listing_aside(site: Site, lang: str, template: str, title: str, url: str) -> str:
    """The aside of listing pages (home, rubric, author, keyword, plan)."""
    published = site.published()
    ref = published[0].date if published else datetime(2024, 1, 1)
    parts = [
        _latest(site, lang, template, None),
        _syndic(site, lang, template),
        _agenda(site, lang, template, ref),
        _share(title, url, lang, template, None),
        _don(lang, template),
        _newsletter(lang),
    ]
    return "\n".join(p for p in parts if p)
