"""Turn the raw bytes of a page into text: BOM, HTTP header, ``<meta>``, then detection.

The order follows what browsers do, with one deliberate difference: a declared charset that
does not decode the bytes cleanly is not trusted (that is how mojibake gets archived), and a
page declared in a single-byte charset whose bytes are valid, non-ASCII UTF-8 is read as UTF-8
(a common SPIP misconfiguration: the server says ISO-8859-1, the database holds UTF-8).
``decode_html`` never raises on bad bytes; replacement characters are the last resort.
"""

from __future__ import annotations

import codecs
import logging
import re

from bs4.dammit import UnicodeDammit

log = logging.getLogger(__name__)

# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and SPIP sites
# declared ISO-8859-1 do contain cp1252 curly quotes and dashes in 0x80–0x9F.
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:\-]+)""", re.IGNORECASE)
# Covers both <meta charset="…"> and <meta http-equiv="Content-Type" content="…; charset=…">.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:\-]+)""", re.IGNORECASE)
_META_WINDOW = (
    4096  # the prescan window; browsers look at the first 1024 bytes, SPIP heads are longer
)
_DETECTION_SAMPLE = 65536  # enough for a confident guess, small enough to stay fast on huge pages
_SINGLE_BYTE = {"cp1252", "cp1250", "cp1251", "iso8859-15", "iso8859-2", "iso8859-1"}
_LATIN_GUESSES = {
    "cp1250",
    "cp1254",
    "cp1257",
    "cp437",
    "cp850",
    "mac-roman",
    "mac-latin2",
    "mac-iceland",
    "iso8859-1",
    "iso8859-2",
    "iso8859-3",
    "iso8859-4",
    "iso8859-9",
    "iso8859-10",
    "iso8859-13",
    "iso8859-14",
    "iso8859-15",
    "iso8859-16",
}
# Mac code pages are next to unknown on the web; their Windows sibling is what was meant.
_WEB_CODEPAGE = {"mac-cyrillic": "cp1251", "mac-greek": "cp1253", "mac-turkish": "cp1254"}
_UTF8_MAJORITY = 4
_PREFERRED_NAMES = {"cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251"}


def charset_from_content_type(value: str | None) -> str | None:
    """The charset label of a Content-Type header value, lower-cased, or None."""
    if not value:
        return None
    match = _CONTENT_TYPE_CHARSET.search(value)
    return match.group(1).strip().lower() if match else None


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label (ISO-8859-1 read as windows-1252), or None."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_WINDOWS_1252:
        label = "cp1252"
    elif label in ("utf8", "unicode-1-1-utf-8", "x-unicode20utf8"):
        label = "utf-8"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 if it declared so in an ASCII <meta>; browsers agree.
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return name


def _display_name(codec: str) -> str:
    """The name reported to callers (``windows-1252`` rather than Python's ``cp1252``)."""
    return _PREFERRED_NAMES.get(codec, codec.replace("_", "-"))


def _strict(data: bytes, codec: str) -> str | None:
    """``data`` decoded with ``codec``, or None when any byte does not fit."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared(data: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """Declared codecs in priority order, each with where it came from."""
    found: list[tuple[str, str]] = []
    header = _codec(charset_from_content_type(content_type))
    if header:
        found.append((header, "header"))
    match = _META_CHARSET.search(data[:_META_WINDOW])
    if match:
        meta = _codec(match.group(1).decode("ascii", "replace"))
        if meta and meta not in {codec for codec, _ in found}:
            found.append((meta, "meta"))
    return found


def _detect(data: bytes) -> str | None:
    """A codec guessed from the bytes themselves (UnicodeDammit over a sample)."""
    if _strict(data, "utf-8") is not None:
        return "utf-8"
    sample = data[:_DETECTION_SAMPLE]
    dammit = UnicodeDammit(sample, known_definite_encodings=["utf-8"], is_html=True)
    # When the sample is clean UTF-8 but the whole is not, the bad bytes are further on: the
    # page is still UTF-8, and the caller falls back to replacement characters.
    guess = _codec(dammit.original_encoding)
    if guess in _LATIN_GUESSES and _strict(data, "cp1252") is not None:
        # Detectors hesitate between Latin code pages on short texts; on the web (and on
        # French SPIP sites above all) windows-1252 is by far the likeliest of them.
        return "cp1252"
    return _WEB_CODEPAGE.get(guess or "", guess)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with replacement characters when only a few stray bytes spoil it, else None."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    # Text in a single-byte charset read as UTF-8 gives about one bad byte per accent and no
    # valid sequence at all; a UTF-8 page with a corrupted spot gives the reverse.
    return text if good >= _UTF8_MAJORITY * bad else None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes; returns ``(text, encoding)`` and never raises on bad bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), codec
    if data.isascii():
        return data.decode("ascii"), "ascii"

    utf8_text = _strict(data, "utf-8")
    if utf8_text is not None and content_type and "charset" in content_type.lower():
        # The usual case, decided without scanning the page for a <meta> charset: the header
        # wins, and a single-byte charset over valid UTF-8 bytes means UTF-8 (see below).
        header = _codec(charset_from_content_type(content_type))
        if header == "utf-8" or header in _SINGLE_BYTE:
            return utf8_text, "utf-8"
    declared = _declared(data, content_type)
    for codec, source in declared:
        if codec in _SINGLE_BYTE and utf8_text is not None:
            log.debug("%s charset %s, but the bytes are UTF-8: reading UTF-8", source, codec)
            return utf8_text, "utf-8"
        text = utf8_text if codec == "utf-8" else _strict(data, codec)
        if text is not None:
            return text, _display_name(codec)
        log.debug("%s charset %s does not decode the page cleanly", source, codec)

    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly, "utf-8"
    guess = _detect(data)
    if guess:
        text = _strict(data, guess)
        if text is not None:
            return text, _display_name(guess)
    # Last resort: the most likely codec, with replacement characters for what does not fit.
    fallback = guess or (declared[0][0] if declared else "utf-8")
    return data.decode(fallback, "replace"), _display_name(fallback)
