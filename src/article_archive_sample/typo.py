"""SPIP inline shortcuts and the typographer (French and English), as SPIP renders them.

Entities versus literal characters follow one fixed rule, imitating SPIP's mix:

* in running text (``mode="texte"``: chapo, texte, P.-S., notes) the apostrophe becomes
  ``&#8217;``, the space before ``:`` and inside guillemets is ``&nbsp;``, the one before
  ``; ! ? %`` is a literal U+00A0, ``<<``/``>>`` typed in the source become ``&#171;``/``&#187;``
  while « » typed as such stay literal;
* in titles (``mode="titre"``) every character is literal (’, U+00A0).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "Notes",
    "attr",
    "couper",
    "escape_text",
    "inline",
    "plain_text",
    "typo",
]

NBSP = "\u00a0"
_PH = "\x01"


def attr(value: str) -> str:
    """Escape a value for an HTML attribute (either quote style)."""
    return html.escape(value, quote=True).replace("&#x27;", "&#039;")


def escape_text(text: str) -> str:
    """Escape ``&`` not starting an entity and ``<`` not starting a tag, as SPIP does."""
    text = re.sub(r"&(?!#?\w+;)", "&amp;", text)
    return re.sub(r"<(?![A-Za-z/!])", "&lt;", text)


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|br|dt|dd|dl|blockquote|table|tr|td|th|caption|figure|figcaption|hr)"
    r"\b[^>]*>",
    re.I,
)


def plain_text(fragment: str) -> str:
    """Strip tags and decode entities: the text a reader sees, spaces collapsed."""
    text = _BLOCK_TAG.sub(" ", fragment)
    text = re.sub(r"<[^>]*>", "", text)
    text = html.unescape(text)
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def couper(text: str, taille: int = 50, suite: str = "&nbsp;(...)") -> str:
    """Cut plain ``text`` to about ``taille`` characters at a word boundary (SPIP's couper)."""
    text = text.strip()
    if len(text) <= taille:
        return text
    long_ = text[: max(taille - 4, 1)]
    court = re.sub(r"([^\s][\s]+)[^\s]*$", r"\1", long_)
    points = suite
    if len(court) < max(0.75 * taille, 2):
        # too short once cut at a word: cut longer, and give no "(...)" (as SPIP does)
        points = ""
        long_ = text[:taille]
        court = re.sub(r"([^\s][\s]+)[^\s]*$", r"\1", long_)
        if len(court) < 0.75 * taille:
            court = long_
    return court.strip() + points


_LAQUO, _RAQUO = "\ue000", "\ue001"  # stand-ins for &#171; / &#187; while spacing


def _typo_fr_chunk(text: str, mode: str) -> str:
    ent = mode == "texte"
    nb_strong = "&nbsp;" if ent else NBSP  # before ":" and inside guillemets
    text = text.replace("&#171;", _LAQUO).replace("&#187;", _RAQUO)
    text = text.replace("'", "&#8217;" if ent else "’")
    after = r"(?=[\s»\ue001\").,;:!?\x01\x02]|$)"
    text = re.sub(r"(?<=[^\s;:!?])[ \t\u00a0]*([;!?])" + after, NBSP + r"\1", text)
    text = re.sub(r"(?<=[^\s:])[ \t\u00a0]*:(?=[\s\x01\x02]|$)", nb_strong + ":", text)
    text = re.sub(r"(?<=\d)[ \t\u00a0]?%", NBSP + "%", text)
    text = re.sub(r"([«\ue000])[ \t\u00a0]*", r"\1" + nb_strong, text)
    text = re.sub(r"(?<=\S)[ \t\u00a0]*([»\ue001])", nb_strong + r"\1", text)
    return text.replace(_LAQUO, "&#171;").replace(_RAQUO, "&#187;")


def typo(fragment: str, lang: str = "fr", mode: str = "texte") -> str:
    """Apply the typographer to the text (not the tags, not the entities) of an HTML fragment."""
    if mode == "texte":
        fragment = fragment.replace("<<", "&#171;").replace(">>", "&#187;")
    else:
        fragment = fragment.replace("<<", "«").replace(">>", "»")
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x02{len(kept) - 1}\x02"

    protected = re.sub(r"<[^>]*>|&(?!#171;|#187;)#?\w+;", keep, fragment)
    if lang == "fr":
        done = _typo_fr_chunk(protected, mode)
    else:
        done = protected.replace("'", "&#8217;" if mode == "texte" else "’")
    return re.sub(r"\x02(\d+)\x02", lambda m: kept[int(m.group(1))], done)


@dataclass
class Notes:
    """Footnotes of one page, numbered in reading order (chapo first, then texte, then P.-S.)."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, note_html: str) -> int:
        """Record a note's HTML and return its number."""
        number = len(self.items) + 1
        self.items.append((number, note_html))
        return number

    def call(self, number: int, note_html: str) -> str:
        """The call markup SPIP 3.2+ puts in the text."""
        plain = plain_text(note_html)
        cut = couper(plain, 80)
        suite = "&nbsp;(...)"
        title = attr(cut[: -len(suite)]) + suite if cut.endswith(suite) else attr(cut)
        return (
            f"<span class=\"spip_note_ref\">&nbsp;[<a href='#nb{number}' class='spip_note' "
            f"rel='appendix' title='{title}' id='nh{number}'>{number}</a>]</span>"
        )

    def render(self) -> str:
        """The notes block content (one ``div#nbN`` a note)."""
        return "\n".join(
            f"<div id='nb{n}'>\n<p><span class=\"spip_note_ref\">[<a href='#nh{n}' "
            f"class='spip_note' title='Notes {n}' rev='appendix'>{n}</a>]&nbsp;</span>{text}</p>\n"
            "</div>"
            for n, text in self.items
        )


def _find_closing(text: str, start: int, opener: str, closer: str) -> int:
    """Index of the ``closer`` matching an ``opener`` whose content starts at ``start``."""
    depth = 0
    i = start
    while i < len(text):
        if text.startswith(opener, i):
            depth += 1
            i += len(opener)
        elif text.startswith(closer, i):
            if depth == 0:
                return i
            depth -= 1
            i += len(closer)
        elif text[i] == "[":
            depth += 1
            i += 1
        elif text[i] == "]" and depth > 0:
            depth -= 1
            i += 1
        else:
            i += 1
    return -1


_LINK = re.compile(r"\[([^\[\]]*?)->\s*([^\[\]\s]+)\s*\]")
_DOC = re.compile(r"<(img|doc|emb)(\d+)(?:\|(left|right|center))?\s*/?>")


@dataclass
class InlineContext:
    """What inline rendering needs: language, mode, note collector, link and document hooks."""

    lang: str = "fr"
    mode: str = "texte"
    notes: Notes | None = None
    resolve: Callable[[str, int], str | None] | None = None
    document: Callable[[int, str], str] | None = None


def _resolve_link(target: str, ctx: InlineContext) -> tuple[str, str, str]:
    """(href, class, default text) for a SPIP link target."""
    m = re.fullmatch(r"(art|article|rub|rubrique|aut|auteur|mot)?(\d+)", target)
    if m:
        prefix = m.group(1) or "art"
        kind = {"art": "article", "rub": "rubrique", "aut": "auteur"}.get(prefix, prefix)
        href = ctx.resolve(kind, int(m.group(2))) if ctx.resolve else None
        return href or f"spip.php?{kind}{m.group(2)}", "spip_in", ""
    if target.startswith("#"):
        return target, "spip_ancre", ""
    if target.startswith("mailto:") or re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", target):
        href = target if target.startswith("mailto:") else f"mailto:{target}"
        return href, "spip_mail", target.removeprefix("mailto:")
    return target, "spip_out", target


def inline(text: str, ctx: InlineContext) -> str:
    """Render one paragraph's worth of SPIP shortcuts (notes, links, docs, bold, italic)."""
    holds: list[str] = []

    def hold(markup: str) -> str:
        holds.append(markup)
        return f"{_PH}{len(holds) - 1}{_PH}"

    # footnotes [[…]] (may contain links, so matched by bracket depth)
    out: list[str] = []
    i = 0
    while True:
        j = text.find("[[", i)
        if j < 0:
            out.append(text[i:])
            break
        end = _find_closing(text, j + 2, "[[", "]]")
        if end < 0:
            out.append(text[i:])
            break
        out.append(text[i:j].rstrip())
        note_src = " ".join(text[j + 2 : end].split())
        note_ctx = InlineContext(ctx.lang, "texte", None, ctx.resolve, ctx.document)
        note_html = inline(note_src, note_ctx)
        if ctx.notes is not None:
            number = ctx.notes.add(note_html)
            out.append(hold(ctx.notes.call(number, note_html)))
        i = end + 2
    text = "".join(out)

    def link(m: re.Match[str]) -> str:
        href, cls, default = _resolve_link(m.group(2), ctx)
        label = m.group(1).strip()
        rendered = (
            inline(label, InlineContext(ctx.lang, ctx.mode, None, ctx.resolve)) if label else ""
        )
        rendered = rendered or escape_text(default) or escape_text(href)
        rel = ' rel="external"' if cls == "spip_out" else ""
        return hold(f'<a href="{attr(href)}" class="{cls}"{rel}>{rendered}</a>')

    text = _LINK.sub(link, text)
    if ctx.document is not None:
        doc = ctx.document
        text = _DOC.sub(lambda m: hold(doc(int(m.group(2)), m.group(3) or "")), text)
    text = escape_text(text)
    text = re.sub(r"\{\{(.+?)\}\}", r"<strong>\1</strong>", text, flags=re.S)
    text = re.sub(r"\{(.+?)\}", r"<i>\1</i>", text, flags=re.S)
    text = typo(text, ctx.lang, ctx.mode)
    while _PH in text:
        text = re.sub(f"{_PH}(\\d+){_PH}", lambda m: holds[int(m.group(1))], text)
    return text


def typo_title(text: str, lang: str = "fr") -> str:
    """A title (titre, surtitre, soustitre, names) through the typographer, literal characters."""
    return inline(text, InlineContext(lang=lang, mode="titre"))
