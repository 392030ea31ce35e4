"""The forum under an article: SPIP dist's comment thread and #FORMULAIRE_FORUM.

SPIP 3 dist: ``a#forum``, ``div.comments > ul.comments-items > li.comment-item >
div.comment.hreview`` (``abbr.dtreviewed[title]``, ``span.vcard.reviewer``,
``div.comment-content``, "Répondre à ce message"), then ``div.formulaire_spip.formulaire_forum``.
SPIP 4 dist wraps each message in ``article.comment.hreview`` with a ``div.comment-meta``.
"""

from __future__ import annotations

import hashlib

from article_archive_sample.blocks import RenderContext, propre
from article_archive_sample.extras import ForumMessage
from article_archive_sample.layout import affdate, iso_z
from article_archive_sample.site import ArticleSource, Site
from article_archive_sample.typo import attr, typo_title

__all__ = ["forum_block", "forum_form"]

_WORDS = {
    "fr": {
        "messages": "{} messages",
        "one": "Un message",
        "by": "par",
        "reply": "Répondre à ce message",
        "reply_article": "Répondre à cet article",
        "form_title": "Un message, un commentaire&nbsp;?",
        "who": "Qui êtes-vous&nbsp;?",
        "name": "Votre nom",
        "email": "Votre adresse email",
        "message": "Votre message",
        "explain": "Ce forum est modéré a priori&nbsp;: votre contribution n’apparaîtra "
        "qu’après avoir été validée par un administrateur du site.",
        "title": "Titre (obligatoire)",
        "text": "Texte de votre message (obligatoire)",
        "paras": "Pour créer des paragraphes, laissez simplement des lignes vides.",
        "link": "Lien hypertexte (optionnel)",
        "link_explain": "(Si votre message se réfère à un article publié sur le Web, ou à une "
        "page fournissant plus d’informations, vous pouvez indiquer ci-après le titre de la "
        "page et son adresse.)",
        "link_title": "Titre",
        "link_url": "Adresse",
        "empty": "Laisser ce champ vide",
        "preview": "Prévisualiser",
        "at": "à",
    },
    "en": {
        "messages": "{} messages",
        "one": "One message",
        "by": "by",
        "reply": "Reply to this message",
        "reply_article": "Reply to this article",
        "form_title": "Any message or comments?",
        "who": "Who are you?",
        "name": "Your name",
        "email": "Your email address",
        "message": "Your post",
        "explain": "This forum is moderated beforehand: your contribution will only appear "
        "after being validated by an administrator.",
        "title": "Title (required)",
        "text": "Text of your message (required)",
        "paras": "To create paragraphs, just leave blank lines.",
        "link": "Hyperlink (optional)",
        "link_explain": "(If your message refers to an article published on the Web, or to a "
        "page providing further information, please enter the title of the page and its URL "
        "below).",
        "link_title": "Title",
        "link_url": "URL",
        "empty": "Leave this field empty",
        "preview": "Preview",
        "at": "at",
    },
}


def _w(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "fr"]


def _message(site: Site, art: ArticleSource, msg: ForumMessage, template: str, k: int) -> str:
    w = _w(art.lang)
    hour = f"{msg.date:%H:%M}" if art.lang == "en" else f"{msg.date:%Hh%M}"
    when = f"{affdate(msg.date.date(), art.lang, False)} {w['at']} {hour}"
    name = typo_title(msg.author, art.lang)
    if msg.url:
        name = (
            f'<a href="{attr(msg.url)}" class="url fn spip_out" rel="external nofollow">{name}</a>'
        )
    else:
        name = f'<strong class="fn">{name}</strong>'
    ctx = RenderContext(site=site, lang=art.lang, template=template, notes=None)
    text = propre(msg.text, ctx)
    title = (
        f'<strong class="comment-titre summary">{typo_title(msg.title, art.lang)}</strong> '
        if msg.title
        else ""
    )
    meta = (
        f'<a href="#forum{msg.id}" title="Message {msg.id}" class="permalink">#</a> {title}'
        f'<abbr class="dtreviewed" title="{iso_z(msg.date)}">{when}</abbr><span class="sep">, '
        f'</span><span class="vcard reviewer">{w["by"]} {name}</span>'
    )
    reply = (
        f'<p class="comment-reply"><a href="spip.php?page=forum&amp;id_article={art.id}&amp;'
        f'id_forum={msg.id}" rel="noindex nofollow">{w["reply"]}</a></p>'
    )
    parity = "odd" if k % 2 else "even"
    if template == "spip4":
        return (
            f'<li class="comment-item comment-item-{msg.id} {parity}" id="forum{msg.id}">'
            f'<article class="comment hreview"><div class="comment-meta">{meta}</div>'
            f'<div class="comment-content description">{text}</div>{reply}</article>'
        )
    return (
        f'<li class="comment-item {parity}"><a name="forum{msg.id}" id="forum{msg.id}"></a>'
        f'<div class="comment hreview"><p class="comment-meta">{meta}</p>'
        f'<div class="comment-content description">{text}</div>{reply}</div>'
    )


def _thread(site, art, messages, parent: int, template: str, depth: int = 0) -> str:
    items = []
    for k, msg in enumerate((m for m in messages if m.parent == parent), 1):
        replies = _thread(site, art, messages, msg.id, template, depth + 1) if depth < 8 else ""
        items.append(_message(site, art, msg, template, k) + replies + "</li>")
    if not items:
        return ""
    return '<ul class="comments-items">' + "\n".join(items) + "</ul>"


def forum_form(art: ArticleSource, template: str) -> str:
    """#FORMULAIRE_FORUM of an article (posting is not implemented: the page is a sample)."""
    w = _w(art.lang)
    n = art.id
    token = hashlib.sha1(f"forum-{n}".encode()).hexdigest()
    args = hashlib.sha256(f"args-{n}".encode()).hexdigest() * 2
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{value}' />"
        for name, value in [
            ("formulaire_action", "forum"),
            ("formulaire_action_args", args),
            ("id_article", n),
            ("id_objet", n),
            ("objet", "article"),
            ("id_forum", ""),
            ("arg", ""),
            ("hash", ""),
            (f"verif_{token[:12]}", "ok"),
            ("afficher_texte", "oui"),
            ("_jeton", token),
        ]
    )
    legend = "legend" if template == "spip3" else 'legend class="editer-label"'

    def field(kind: str, name: str, label: str, extra: str = "") -> str:
        return (
            f'<div class="editer saisie_{name}{extra}"><label for="{name}_{n}">{label}</label>'
            f'<input type="{kind}" class="text" name="{name}" id="{name}_{n}" value="" size="40" '
            'autocapitalize="off" autocorrect="off" /></div>'
        )

    return (
        f'<h2 class="h2">{w["form_title"]}</h2>\n'
        '<div class="formulaire_spip formulaire_forum ajax" id="formulaire_forum">\n'
        f'<p class="explication">{w["explain"]}</p>\n'
        f'<form action="{art.url}#formulaire_forum" method="post" enctype="multipart/form-data">'
        f'<div><span class="form-hidden">{hidden}</span>\n'
        f'<fieldset class="qui"><{legend}>{w["who"]}</legend><div class="editer-groupe">'
        + field("text", "session_nom", w["name"])
        + field("email", "session_email", w["email"])
        + f"</div></fieldset>\n<fieldset><{legend}>{w['message']}</legend>"
        + '<div class="editer-groupe">'
        + field("text", "titre", w["title"], " obligatoire")
        + f'<div class="editer saisie_texte obligatoire"><label for="texte_{n}">{w["text"]}</label>'
        f'<p class="explication">{w["paras"]}</p>'
        f'<textarea name="texte" id="texte_{n}" rows="10" cols="60"></textarea></div>'
        f'</div></fieldset>\n<fieldset class="lien"><{legend}>{w["link"]}</legend>'
        f'<p class="explication">{w["link_explain"]}</p><div class="editer-groupe">'
        + field("text", "nom_site", w["link_title"])
        + field("url", "url_site", w["link_url"])
        + "</div></fieldset>\n"
        f'<p style="display:none;"><label for="nobot_forum_{n}">{w["empty"]}</label>'
        f'<input type="text" class="text" name="nobot" id="nobot_forum_{n}" value="" size="10" />'
        '</p>\n<p class="boutons"><input type="submit" class="submit" '
        f'name="previsualiser_message" value="{w["preview"]}" /></p></div></form>\n</div>'
    )


def forum_block(site: Site, art: ArticleSource, template: str) -> str:
    """``a#forum``, the thread (when the article has messages), the reply link and the form."""
    w = _w(art.lang)
    messages = site.forum.get(art.id, [])
    parts = ['<a href="#forum" name="forum" id="forum"></a>']
    if messages:
        count = w["one"] if len(messages) == 1 else w["messages"].format(len(messages))
        thread = _thread(site, art, messages, 0, template)
        parts.append(f'<div class="comments">\n<h2 class="h2">{count}</h2>\n{thread}\n</div>')
    parts.append(
        f'<p class="repondre"><a href="spip.php?page=forum&amp;id_article={art.id}">'
        f"{w['reply_article']}</a></p>"
    )
    parts.append(forum_form(art, template))
    return "\n".join(parts)
