"""fetch.sniff: a file's type from its first bytes, whatever its name and headers say."""

from __future__ import annotations

import io
import zipfile

import pytest

from article_archive.crawl.media import link_role, media_refs
from article_archive.fetch.sniff import is_image, looks_like, sniff
from article_archive_sample.server import default_site_dir


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A ZIP whose first entry is stored (as OpenDocument and EPUB require for mimetype)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


ODT = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>" * 50)]
)
EPUB = _zip([("mimetype", b"application/epub+zip"), ("META-INF/container.xml", b"<c/>")])
DOCX = _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
PLAIN_ZIP = _zip([("notes.txt", b"hello"), ("more.txt", b"world")])

CASES = [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00\x80", "image/gif"),
    (b"GIF87a\x01\x00", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00", "image/avif"),
    (b"\x00\x00\x00\x20ftypM4A \x00\x00", "audio/mp4"),
    (b'<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg">',
     "image/svg+xml"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "application/msword"),
    (b"{\\rtf1\\ansi Bonjour}", "application/rtf"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
    (b"\xff\xfb\x90\x64\x00\x00", "audio/mpeg"),
    (b"OggS\x00\x02\x00\x00", "audio/ogg"),
    (b"fLaC\x00\x00\x00\x22", "audio/flac"),
    (ODT, "application/vnd.oasis.opendocument.text"),
    (EPUB, "application/epub+zip"),
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "kind"), CASES)
def test_magic_numbers(body: bytes, kind: str) -> None:
    assert sniff(body) == kind


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body>404</body></html>",
        b"\xef\xbb\xbf  <html lang='fr'><img src=x>",
        b"<html><body><svg></svg></body></html>",  # an HTML page with an SVG inside
        b"",
        b"just some text, no magic",
        PLAIN_ZIP,
        b'{"error": "not found"}',
    ],
)
def test_what_is_not_an_image_or_document(body: bytes) -> None:
    assert sniff(body) is None


def test_refusal_reasons_name_what_came() -> None:
    assert looks_like(b"<!doctype HTML>\n<html>") == "text/html"
    assert looks_like(b"") == "empty"
    assert looks_like(b'{"a": 1}') == "text"
    assert looks_like(b"\x00\x01\x02") == "unknown bytes"


def test_only_images_are_images() -> None:
    assert is_image("image/png") and is_image("image/svg+xml")
    assert not is_image("application/pdf") and not is_image(None)


def test_the_sample_site_files_are_what_their_names_say() -> None:
    files = [p for p in (default_site_dir() / "IMG").rglob("*") if p.is_file()]
    assert {p.suffix for p in files} == {".png", ".pdf"}
    for path in files:
        expected = {".png": "image/png", ".pdf": "application/pdf"}[path.suffix]
        assert sniff(path.read_bytes()) == expected, path


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("https://x.org/IMG/pdf/rapport.pdf", "document"),
        ("https://x.org/IMG/odt/compte-rendu.odt", "document"),
        ("https://x.org/docs/entretien.MP3", "document"),
        ("https://x.org/IMG/jpg/photo.jpg", "image"),
        ("https://x.org/local/cache-vignettes/L150xH100/arton8-5b2c1.png", "image"),
        ("https://x.org/IMG/distant/tableur.xyz", "document"),  # under IMG/: an attachment
        ("https://x.org/spip.php?article12", None),
        ("https://x.org/la-centrale-et-la-baie", None),
        ("https://x.org/IMG/", None),
    ],
)
def test_link_roles(url: str, role: str | None) -> None:
    assert link_role(url) == role


def test_media_refs_keep_the_article_site_only_each_once() -> None:
    body = (
        '<p><img src="https://site.org/IMG/a.png"><img src="https://other.org/pixel.gif">'
        '<a href="https://site.org/IMG/pdf/r.pdf">r</a><a href="/IMG/a.png">again</a>'
        '<a href="https://site.org/autre-article">page</a>'
        '<a href="https://other.org/IMG/pdf/x.pdf">elsewhere</a>'
        '<img src="data:image/png;base64,iVBORw0KGgo="></p>'
    )
    page = (
        b'<html><body><img class="spip_logo" src="IMG/arton7.png">'
        b'<div class="menu"><img class="spip_logo spip_logos" src="IMG/arton3.png"></div>'
        b'<img src="IMG/siteon0.png" class="spip_logo"></body></html>'
    )
    refs = media_refs(body, "https://site.org/article-7", page)
    assert [(r.url, r.role) for r in refs] == [
        ("https://site.org/IMG/a.png", "image"),
        ("https://site.org/IMG/pdf/r.pdf", "document"),
        ("https://site.org/IMG/arton7.png", "logo"),
    ]
    # with its SPIP id, the article's own logo even when another one comes first
    refs = media_refs(None, "https://site.org/article-3", page, spip_id=3)
    assert [(r.url, r.role) for r in refs] == [("https://site.org/IMG/arton3.png", "logo")]
