"""What a media file really is, read from its first bytes, not from its name or its headers.

A site may serve an HTML error page as ``photo.jpg`` with ``Content-Type: image/jpeg``; the
archive would then keep, and later serve as an image, a page. The reader serves media with
``X-Content-Type-Options: nosniff`` and the type found here, so the type must be the bytes'.
Only the formats an article's images and attached documents come in are recognised:
images (PNG, JPEG, GIF, WebP, SVG, AVIF, BMP), documents (PDF, OpenDocument, EPUB, Word,
RTF) and sound (MP3, Ogg, FLAC, WAV, MP4 audio).
"""

from __future__ import annotations

import re

# (prefix at offset 0, media type); checked in order, the first that matches wins.
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"%PDF-", "application/pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),  # OLE2: .doc, .xls, .ppt
    (b"{\\rtf", "application/rtf"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
)
# RIFF containers: the form type at offset 8 says what is inside.
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav"}
# ISO base media (``....ftypXXXX``): the brand at offset 8.
_FTYP = {b"avif": "image/avif", b"avis": "image/avif", b"M4A ": "audio/mp4"}
_ZIP = b"PK\x03\x04"
# An OpenDocument or EPUB file starts with a stored entry named "mimetype" holding its type.
_ZIP_MIMETYPE = re.compile(rb"^PK\x03\x04.{26}mimetype([a-z0-9.+/-]{8,80}?)(?=PK|\Z)", re.S)
_OOXML = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
_SVG_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
    re.S | re.I,
)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)", re.I)
_MPEG_FRAME = re.compile(rb"^\xff[\xe2-\xff]")  # MPEG audio frame sync, no ID3 tag

IMAGE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/svg+xml",
        "image/avif",
        "image/bmp",
    }
)


def sniff(body: bytes) -> str | None:
    """The media type of ``body`` from its magic number, or None when it is none we keep."""
    head = body[:4096]
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP.get(head[8:12], "video/mp4")
    if head.startswith(_ZIP):
        return _zip_type(head)
    if _MPEG_FRAME.match(head):
        return "audio/mpeg"
    if _SVG_START.match(head):
        return "image/svg+xml"
    return None


def _zip_type(head: bytes) -> str | None:
    """An OpenDocument, EPUB or Office Open XML file; any other ZIP is not kept."""
    match = _ZIP_MIMETYPE.match(head)
    if match:
        return match.group(1).decode("ascii")
    if b"[Content_Types].xml" in head:
        for marker, kind in _OOXML:
            if marker in head:
                return kind
    return None


def looks_like(body: bytes) -> str:
    """A short name for what an unrecognised body seems to be, for the refusal's reason."""
    head = body[:1024]
    if not head:
        return "empty"
    if _HTML_START.match(head):
        return "text/html"
    if head.lstrip()[:1] in (b"<", b"{", b"["):
        return "text"
    return "unknown bytes"


def is_image(kind: str | None) -> bool:
    """Whether a sniffed type is an image the reader can show in ``<img>``."""
    return kind in IMAGE_TYPES
