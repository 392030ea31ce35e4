"""The generic extractor on pages written for these tests (tests/fixtures/generic/)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from article_archive.errors import ExtractionError
from article_archive.extract import extract
from article_archive.extract.generic import extract_generic
from article_archive.extract.metadata import page_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "generic"


def fixture(name: str, url: str = "https://fallback.example/page") -> dict:
    """The extracted fields of one fixture page."""
    return extract((FIXTURES / name).read_bytes(), url)


@pytest.fixture(scope="module")
def news() -> dict:
    return fixture("news-jsonld.html")


@pytest.fixture(scope="module")
def blog() -> dict:
    return fixture("blog-opengraph.html")


@pytest.fixture(scope="module")
def dublin() -> dict:
    return fixture("dublin-core.html", "https://sentiers.example.fr/numero-12/chemins-creux")


def test_news_fields_from_jsonld(news):
    assert news["extractor"].startswith("generic/")
    assert news["url"] == "https://news.example.org/2024/03/harbour-cranes-return"
    assert news["site"] == "news.example.org"
    assert news["title"] == "Harbour cranes return to Port Ellery"
    assert [a["name"] for a in news["authors"]] == ["Maya Okonkwo-Lind", "Tomas Reyes"]
    assert news["published"] == "2024-03-14T08:30:00+00:00"
    assert news["updated"] == "2024-03-15T10:05:00+00:00"
    assert news["section"] == "Local economy"
    assert news["keywords"] == ["ports", "jobs", "energy"]
    assert news["lang"] == "en"
    assert news["spip_id"] is None


def test_news_lead_is_the_standfirst(news):
    assert news["lead"] == (
        "After six years of silence, the old container terminal reopens with electric "
        "cranes and a promise of two hundred local jobs."
    )


def test_news_body_keeps_the_article(news):
    text = news["body_text"]
    assert text.startswith("For six years the cranes of the eastern terminal stood still")
    assert text.endswith("at a public meeting in the town hall.")
    assert "We have waited long enough to be patient" in text
    assert "\n\nA smaller port for smaller ships\n\n" in text
    assert "<blockquote><p>We have waited" in news["body_html"]
    assert 300 <= news["word_count"] <= 340


@pytest.mark.parametrize(
    "chrome",
    [
        "Weather forecast",  # navigation
        "Subscribe today",
        "Share on Social",  # share buttons
        "Email this story",
        "Related stories",  # related links
        "Ferry timetable",
        "harbourwatcher",  # comments
        "my grandfather worked those cranes",
        "Post comment",
        "All rights reserved",  # footer
        "window.analytics",  # script
        "display: flex",  # style
        "Harbour cranes return to Port Ellery",  # the title is not repeated in the body
    ],
)
def test_news_chrome_stays_out(news, chrome):
    assert chrome not in news["body_text"]
    assert chrome not in news["body_html"]


def test_news_toc_matches_anchored_headings(news):
    assert news["toc"] == [
        {
            "level": 2,
            "title": "A smaller port for smaller ships",
            "anchor": "a-smaller-port-for-smaller-ships",
        },
        {
            "level": 2,
            "title": "Two hundred jobs, if the ships come",
            "anchor": "two-hundred-jobs-if-the-ships-come",
        },
    ]
    assert '<h2 id="a-smaller-port-for-smaller-ships">' in news["body_html"]
    assert news["footnotes"] == []


def test_blog_fields_from_opengraph_only(blog):
    assert blog["url"] == "https://garden.example.net/posts/seed-library/"  # og:url
    assert blog["title"] == "Notes from a seed library"
    assert [a["name"] for a in blog["authors"]] == ["Ruth Abernathy"]
    assert blog["published"] == "2023-05-02T19:15:00-04:00"
    assert blog["updated"] == "2023-05-04"
    assert blog["section"] == "Gardening"
    assert blog["keywords"] == ["seeds", "libraries", "community"]
    assert blog["lang"] == "en"


def test_blog_cut_off_description_is_not_a_lead(blog):
    assert blog["lead"] is None


def test_blog_footnotes_are_separate_and_calls_kept(blog):
    assert [(n["number"], n["text"]) for n in blog["footnotes"]] == [
        ("1", "Mostly that a bean seed stays good for about three years if kept dry and cool."),
        (
            "2",
            "The library now runs a small plot behind the car park where biennials can "
            "flower undisturbed.",
        ),
    ]
    assert "↩" not in blog["footnotes"][0]["html"]
    text = blog["body_text"]
    assert "more about beans than I expected to.[1]" in text
    assert "leave them in the ground that long.[2]" in text
    assert "bean seed stays good" not in text  # notes are not doubled in the body
    assert 'href="#fn1"' in blog["body_html"]


def test_blog_chrome_stays_out(blog):
    for chrome in ("Archives", "Share this post", "Powered by", "Subscribe via RSS"):
        assert chrome not in blog["body_text"]
    assert [t["title"] for t in blog["toc"]] == ["What comes back", "Why it works"]


def test_dublin_core_fields(dublin):
    assert dublin["url"] == "https://sentiers.example.fr/numero-12/chemins-creux"
    assert dublin["site"] == "sentiers.example.fr"
    assert dublin["title"] == "Les chemins creux du bocage"
    assert [a["name"] for a in dublin["authors"]] == ["Hélène Marchetti", "Yann Le Goff"]
    assert dublin["published"] == "2021-11-08"
    assert dublin["updated"] == "2022-01-20"
    assert dublin["lang"] == "fr"
    assert dublin["keywords"] == ["paysage", "haies", "patrimoine rural"]
    assert dublin["lead"] == (
        "Une promenade savante le long des chemins encaissés de l'ouest, "
        "entre histoire agraire et écologie des haies."
    )


def test_dublin_core_body(dublin):
    text = dublin["body_text"]
    assert text.startswith("Dans l'ouest de la France, les chemins creux")
    assert "Un réseau menacé puis redécouvert" in dublin["body_html"] or dublin["toc"] == []
    for chrome in ("Tous les numéros", "Nous écrire", "Mentions légales"):
        assert chrome not in text


def test_links_and_images_are_absolute():
    page = """<html><head><title>Pictures</title><base href="https://img.example.com/dir/"></head>
    <body><article><h1>Pictures</h1>
    <p>A long enough paragraph about a picture of a lighthouse, written so that the extractor
    considers it the main text of the page and keeps it, along with the image and the link to
    <a href="more.html">another page</a> that explains the history of the lighthouse.</p>
    <p><img src="light.jpg" alt="The lighthouse"></p>
    <p>A second paragraph tells how the lamp was replaced by an automatic beacon in the sixties,
    and how the keeper's house became a small museum open during the summer months.</p>
    </article></body></html>"""
    article = extract(page, "https://pages.example.com/x")
    assert 'href="https://img.example.com/dir/more.html"' in article["body_html"]
    assert 'src="https://img.example.com/dir/light.jpg"' in article["body_html"]


def test_page_without_article_text_raises():
    page = "<html><body><nav><a href='/'>Home</a> <a href='/b'>Blog</a></nav></body></html>"
    tree = lxml.html.document_fromstring(page)
    with pytest.raises(ExtractionError):
        extract_generic(page, tree, "https://e.example/", metadata=page_metadata(tree, None))
