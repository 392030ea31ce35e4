"""Whether a page comes from SPIP: its headers, then SPIP's fingerprints in the markup.

One answer for the whole pipeline: the crawler asks it of raw bytes (a home page: is the id
walk worth trying?), the extractor of the decoded text (which extractor reads the page?).
Many real themes drop the generator meta: the engine's own markup and the site's URL shapes
say SPIP as well.

Each fingerprint is a literal that every page showing it contains, confirmed by a pattern
when the literal alone could be prose. Literals are found by Python's substring search, far
faster than one case-blind alternation over the page: the forms SPIP writes are tried first,
as they are (most SPIP pages show one in the head); then every fingerprint, case aside.
"""

from __future__ import annotations

import re

# What SPIP writes and other systems do not (see ``shared/spip-markup.md``): the generator
# meta (``content="SPIP 4.2 …"``), links to ``spip.php``, template folders, the typographer's
# and the notes' classes (``spip_in``, ``spip_out``, ``spip_note``, ``spip_logo``, ``class=
# "spip"`` on intertitles and lists, ``autobr`` line breaks, ``spip-puce`` dashes, documents),
# SPIP's forms, crayons title blocks, images or scripts cached under ``local/cache-…``, the
# logo files (``arton12.jpg``, ``rubon3.png``), and the links of SPIP's URL modes that no other
# system writes: a rubric ``-Rubrique-``, a keyword ``+-Mot-+``, an author ``_Auteur_`` (each a
# whole path segment), ``rubrique3.html``.
_URL_SHAPES = (
    r"href\s*=\s*[\"'](?:[^\"'\s>/]*+/)*+(?:-[^\"'\s>/?#-][^\"'\s>/?#]*-"
    r"|\+-[^\"'\s>/?#]+-\+|_[^\"'\s>/?#_][^\"'\s>/?#]*_)[\"'#]"
)
# Each probe: a literal, and the pattern confirming it (None: the literal is enough). The
# first ones all hold "spip", looked for once.
_SPIP_PROBES: tuple[tuple[str, str | None], ...] = (
    ("spip.php", None),
    ("spip_note", None),
    ("spip_in", None),
    ("spip_out", None),
    ("spip_url", None),
    ("spip_glossaire", None),
    ("spip_logo", None),
    ("spip_doc", None),
    ("spip-puce", None),
    ("formulaire_spip", None),
    ("content", r"content\s*=\s*[\"']?\s*spip"),
    ("class=", r"class=[\"']spip[\"'\s]"),
)
_OTHER_PROBES: tuple[tuple[str, str | None], ...] = (
    ("local/cache-", None),
    ("squelettes", r"squelettes[\w-]*/"),
    ("autobr", r"class=[\"']autobr[\"']"),
    ("crayon ", r"crayon [a-z]+-titre-\d"),
    ("arton", r"arton\d+\.(?:jpe?g|png|gif|webp)"),
    ("rubon", r"rubon\d+\.(?:jpe?g|png|gif|webp)"),
    ("auton", r"auton\d+\.(?:jpe?g|png|gif|webp)"),
    ("rubrique", r"rubrique\d+\.html[\"'#]"),
    ("href", _URL_SHAPES),
)
# The forms SPIP itself writes, case and all: one of them is in nearly every SPIP page's head.
_QUICK_TEXT = ('content="SPIP', "spip.php", "spip_note", "spip_in")


def _compiled_str(literal: str, pattern: str | None) -> tuple[str, re.Pattern[str] | None]:
    """One probe for text: the literal, and its confirming pattern."""
    return literal, re.compile(pattern) if pattern else None


def _compiled_bytes(literal: str, pattern: str | None) -> tuple[bytes, re.Pattern[bytes] | None]:
    """One probe for raw bytes: the same literal and pattern, as ASCII bytes."""
    return literal.encode("ascii"), re.compile(pattern.encode("ascii")) if pattern else None


_TEXT_PROBES = tuple(_compiled_str(*probe) for probe in _SPIP_PROBES + _OTHER_PROBES)
_BYTES_PROBES = tuple(_compiled_bytes(*probe) for probe in _SPIP_PROBES + _OTHER_PROBES)
_AFTER_SPIP = len(_SPIP_PROBES)
_QUICK_BYTES = tuple(literal.encode("ascii") for literal in _QUICK_TEXT)
_SPIP_COOKIE = re.compile(r"\bspip_(?:session|admin|lang|accepte_ajax)=", re.IGNORECASE)


def _spip_headers(headers: dict[str, str] | None) -> bool:
    """Whether the HTTP headers say SPIP: ``Composed-By: SPIP …``, ``X-Spip-Cache`` (or any
    ``X-Spip-…``), or one of SPIP's cookies (``spip_session``, ``spip_lang``…)."""
    for name, value in (headers or {}).items():
        lowered = name.lower()
        if lowered.startswith("x-spip-"):
            return True
        if lowered == "composed-by" and "spip" in value.lower():
            return True
        if lowered == "set-cookie" and _SPIP_COOKIE.search(value):
            return True
    return False


def _text_says_spip(markup: str) -> bool:
    """Whether a page's text holds one of SPIP's fingerprints."""
    if any(literal in markup for literal in _QUICK_TEXT):
        return True
    low = markup.lower()
    for literal, pattern in _TEXT_PROBES if "spip" in low else _TEXT_PROBES[_AFTER_SPIP:]:
        if literal in low and (pattern is None or pattern.search(low)):
            return True
    return False


def _bytes_say_spip(markup: bytes) -> bool:
    """Whether a page's raw bytes hold one of SPIP's fingerprints."""
    if any(literal in markup for literal in _QUICK_BYTES):
        return True
    low = markup.lower()
    for literal, pattern in _BYTES_PROBES if b"spip" in low else _BYTES_PROBES[_AFTER_SPIP:]:
        if literal in low and (pattern is None or pattern.search(low)):
            return True
    return False


def is_spip(markup: str | bytes, headers: dict[str, str] | None = None) -> bool:
    """Whether a page (its text or its raw bytes) comes from a SPIP site.

    Bytes are searched as they are: every fingerprint is ASCII, which every charset but
    UTF-16 and UTF-32 (next to unknown on the web) writes as ASCII.
    """
    if _spip_headers(headers):
        return True
    if isinstance(markup, str):
        return _text_says_spip(markup)
    return _bytes_say_spip(markup)
