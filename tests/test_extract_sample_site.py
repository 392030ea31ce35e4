"""Every field of every article of the bundled sample site, checked against its source file.

The expected values come from `data/sample-site/` (what the editor typed), never from the
extractor: the page goes through the renderer, real HTTP on loopback and the extractor.
"""

from __future__ import annotations

import re
from datetime import UTC
from zoneinfo import ZoneInfo

import httpx
import pytest

from article_archive.extract import extract
from article_archive_sample import SampleSite, default_site_dir, load_site
from article_archive_sample.site import ArticleSource
from sample_truth import headings, norm, note_count, plain

PARIS = ZoneInfo("Europe/Paris")
SITE = load_site(default_site_dir())
PUBLISHED = SITE.published()


@pytest.fixture(scope="module")
def extracted() -> dict[int, dict]:
    """Each published article fetched by its SPIP address (301) and extracted."""
    results = {}
    with SampleSite() as site, httpx.Client(follow_redirects=True) as client:
        for art in PUBLISHED:
            response = client.get(f"{site.base_url}spip.php?article{art.id}")
            assert response.status_code == 200
            results[art.id] = extract(response.content, str(response.url), dict(response.headers))
    return results


def test_the_sample_site_is_big_enough() -> None:
    assert len(PUBLISHED) >= 30
    assert sum(a.lang == "en" for a in PUBLISHED) >= 5
    assert sum(a.translation_of is not None for a in PUBLISHED) >= 2


@pytest.mark.parametrize("art", PUBLISHED, ids=lambda a: f"article{a.id}")
def test_identity_fields(art: ArticleSource, extracted: dict[int, dict]) -> None:
    data = extracted[art.id]
    assert data["spip_id"] == art.id
    assert data["url"].endswith("/" + art.slug)
    assert data["site"] == "127.0.0.1"
    assert data["lang"] == art.lang
    assert data["extractor"].startswith("spip")
    assert norm(data["title"]) == plain(art.title)
    assert norm(data["surtitle"]) == plain(art.surtitle)
    assert norm(data["subtitle"]) == plain(art.subtitle)


@pytest.mark.parametrize("art", PUBLISHED, ids=lambda a: f"article{a.id}")
def test_section_authors_keywords(art: ArticleSource, extracted: dict[int, dict]) -> None:
    data = extracted[art.id]
    path = [r.title for r in SITE.rubric_path(art.rubrique)]
    assert data["section_path"] == path
    assert data["section"] == path[-1]
    assert [norm(a["name"]) for a in data["authors"]] == [
        norm(SITE.authors[i].name) for i in art.authors
    ]
    assert all(a["url"].startswith("http://127.0.0.1:") for a in data["authors"])
    assert sorted(map(norm, data["keywords"])) == sorted(
        norm(SITE.keywords[i].title) for i in art.keywords
    )


@pytest.mark.parametrize("art", PUBLISHED, ids=lambda a: f"article{a.id}")
def test_dates(art: ArticleSource, extracted: dict[int, dict]) -> None:
    data = extracted[art.id]
    utc = art.date.replace(tzinfo=PARIS).astimezone(UTC)
    assert data["published"] == utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["written"] == (art.date_redac.isoformat() if art.date_redac else None)
    if art.date_modif:
        assert data["updated"] is not None
        assert data["updated"][:10] in {
            art.date_modif.date().isoformat(),
            art.date_modif.replace(tzinfo=PARIS).astimezone(UTC).date().isoformat(),
        }


@pytest.mark.parametrize("art", PUBLISHED, ids=lambda a: f"article{a.id}")
def test_lead_body_toc_notes_ps(art: ArticleSource, extracted: dict[int, dict]) -> None:
    data = extracted[art.id]
    if art.chapo.strip():
        lead = re.sub(r"\s*\[\d+\]", "", norm(data["lead"]))
        assert lead == plain(art.chapo)
    else:
        assert data["lead"] is None
    body = norm(data["body_text"])
    first_words = plain(art.texte.strip().split("\n")[0])[:60]
    assert first_words in body
    for chrome in ("Sommaire", "Répondre à cet article", "Dans la même rubrique", "Imprimer"):
        assert chrome not in body
    assert [(e["level"], norm(e["title"])) for e in data["toc"]] == headings(art.texte)
    assert all(f'id="{e["anchor"]}"' in data["body_html"] for e in data["toc"])
    notes = data["footnotes"]
    assert [n["number"] for n in notes] == [str(i) for i in range(1, note_count(art) + 1)]
    assert all(n["text"] and not n["text"].startswith("[") for n in notes)
    if art.ps.strip():
        assert plain(art.ps)[:40] in norm(data["postscript"])
    else:
        assert data["postscript"] is None
    assert data["word_count"] >= len(plain(art.texte).split()) * 0.8


@pytest.mark.parametrize(
    "art", [a for a in PUBLISHED if a.translation_of], ids=lambda a: f"article{a.id}"
)
def test_translations_point_both_ways(art: ArticleSource, extracted: dict[int, dict]) -> None:
    original = SITE.articles[art.translation_of]
    forward = extracted[art.id]["translations"]
    back = extracted[original.id]["translations"]
    assert [(t["lang"], t["url"].rsplit("/", 1)[-1]) for t in forward] == [
        (original.lang, original.slug)
    ]
    assert [(t["lang"], t["url"].rsplit("/", 1)[-1]) for t in back] == [(art.lang, art.slug)]


def test_iso_8859_1_rubric_keeps_its_accents(extracted: dict[int, dict]) -> None:
    iso = [a for a in PUBLISHED if SITE.rubriques[a.rubrique].charset == "iso-8859-1"]
    assert iso
    for art in iso:
        data = extracted[art.id]
        assert "Ã" not in data["body_text"]
        assert norm(data["title"]) == plain(art.title)
