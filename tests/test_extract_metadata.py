"""page_metadata: JSON-LD, OpenGraph, Dublin Core, citation and standard metas."""

from __future__ import annotations

import json

import lxml.html

from article_archive.extract.metadata import page_metadata


def meta_of(head: str, url: str | None = "https://example.org/a/page.html", html_attrs=""):
    """page_metadata of a page with ``head`` inside its <head>."""
    page = f"<html {html_attrs}><head>{head}</head><body><p>x</p></body></html>"
    return page_metadata(lxml.html.document_fromstring(page), url)


def ld(data) -> str:
    """A JSON-LD script element holding ``data``."""
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_empty_head_gives_every_key():
    meta = meta_of("")
    assert meta == {
        "title": None,
        "authors": [],
        "published": None,
        "updated": None,
        "lang": None,
        "description": None,
        "canonical": None,
        "site_name": None,
        "keywords": [],
        "section": None,
        "image": None,
    }


def test_jsonld_graph_with_author_references():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Le Site"},
            {"@type": "Person", "@id": "#a1", "name": "Ana Lopes"},
            {
                "@type": ["NewsArticle"],
                "headline": "Le titre",
                "author": [{"@id": "#a1"}, "Ben Idris", {"@type": "Person", "name": "Chloé Roux"}],
                "datePublished": "2022-02-03T09:00:00+01:00",
                "dateModified": "2022-02-04",
                "articleSection": ["Monde", "Europe"],
                "keywords": ["paix", "diplomatie"],
                "image": ["https://example.org/i.jpg"],
                "publisher": {"@type": "Organization", "name": "Le Journal"},
                "inLanguage": "fr-FR",
            },
        ],
    }
    meta = meta_of(ld(graph))
    assert meta["title"] == "Le titre"
    assert meta["authors"] == ["Ana Lopes", "Ben Idris", "Chloé Roux"]
    assert meta["published"] == "2022-02-03T09:00:00+01:00"
    assert meta["updated"] == "2022-02-04"
    assert meta["section"] == "Monde"
    assert meta["keywords"] == ["paix", "diplomatie"]
    assert meta["image"] == "https://example.org/i.jpg"
    assert meta["site_name"] == "Le Journal"
    assert meta["lang"] == "fr"


def test_jsonld_top_level_list_blog_posting_and_keyword_string():
    data = [
        {"@type": "BreadcrumbList", "name": "not me"},
        {
            "@type": "BlogPosting",
            "name": "A post",
            "author": {"@type": "Person", "givenName": "Dee", "familyName": "Moss"},
            "keywords": "one, two,three",
            "description": "Caf&#233; talk",
        },
    ]
    meta = meta_of(ld(data))
    assert meta["title"] == "A post"
    assert meta["authors"] == ["Dee Moss"]
    assert meta["keywords"] == ["one", "two", "three"]
    assert meta["description"] == "Café talk"


def test_broken_jsonld_is_skipped_and_other_sources_used():
    head = (
        '<script type="application/ld+json">{"@type": "Article", "headline": </script>'
        '<meta property="og:title" content="From OpenGraph">'
    )
    assert meta_of(head)["title"] == "From OpenGraph"


def test_jsonld_wrapped_in_cdata():
    data = '//<![CDATA[\n{"@type": "Article", "headline": "Wrapped"}\n//]]>'
    block = f'<script type="application/ld+json">{data}</script>'
    assert meta_of(block)["title"] == "Wrapped"


def test_jsonld_wins_over_opengraph():
    head = ld({"@type": "Article", "headline": "Curated"}) + (
        '<meta property="og:title" content="Social">'
    )
    assert meta_of(head)["title"] == "Curated"


def test_opengraph_fields():
    head = """
    <meta property="og:title" content="OG title">
    <meta property="og:site_name" content="Site OG">
    <meta property="og:description" content="Describes it.">
    <meta property="og:image" content="https://example.org/og.png">
    <meta property="og:locale" content="pt_BR">
    <meta property="article:published_time" content="2020-07-01T12:00:00Z">
    <meta property="article:modified_time" content="2020-07-02T08:00:00Z">
    <meta property="article:author" content="https://social.example.com/someone">
    <meta property="article:author" content="Rita Paz">
    <meta property="article:section" content="Cultura">
    <meta property="article:tag" content="música">
    <meta property="article:tag" content="samba">
    """
    meta = meta_of(head)
    assert meta["title"] == "OG title"
    assert meta["site_name"] == "Site OG"
    assert meta["description"] == "Describes it."
    assert meta["image"] == "https://example.org/og.png"
    assert meta["lang"] == "pt"
    assert meta["published"] == "2020-07-01T12:00:00Z"
    assert meta["updated"] == "2020-07-02T08:00:00Z"
    assert meta["authors"] == ["Rita Paz"]  # the profile URL is not a name
    assert meta["section"] == "Cultura"
    assert meta["keywords"] == ["música", "samba"]


def test_dublin_core_in_both_spellings():
    head = """
    <meta name="DC.title" content="Titre DC">
    <meta name="DC.creator" content="Un Auteur">
    <meta name="DC.creator" content="Une Autrice">
    <meta name="DC:date" content="2009-09-15">
    <meta name="dcterms.modified" content="2010-01-02">
    <meta name="DC.language" content="fr">
    <meta name="DC.subject" content="histoire; géographie">
    <meta name="DC.publisher" content="La Revue">
    """
    meta = meta_of(head)
    assert meta["title"] == "Titre DC"
    assert meta["authors"] == ["Un Auteur", "Une Autrice"]
    assert meta["published"] == "2009-09-15"
    assert meta["updated"] == "2010-01-02"
    assert meta["lang"] == "fr"
    assert meta["keywords"] == ["histoire", "géographie"]
    assert meta["site_name"] == "La Revue"


def test_citation_and_bepress_metas():
    head = """
    <meta name="bepress_citation_title" content="Une étude">
    <meta name="citation_author" content="Audier, Florence">
    <meta name="citation_publication_date" content="2009/09/15">
    """
    meta = meta_of(head)
    assert meta["title"] == "Une étude"
    assert meta["authors"] == ["Audier, Florence"]  # family-first, one person
    assert meta["published"] == "2009-09-15"


def test_standard_metas_and_document():
    head = """
    <title>Le vrai titre - Mon Site</title>
    <meta name="application-name" content="Mon Site">
    <meta name="author" content="Léa Martin, Paul Durand">
    <meta name="description" content="Une description  sur
        deux lignes.">
    <meta name="keywords" content="alpha, beta , ,gamma">
    <link rel="canonical" href="/a/canonical.html">
    """
    meta = meta_of(head, html_attrs='lang="fr-CA"')
    assert meta["title"] == "Le vrai titre"
    assert meta["authors"] == ["Léa Martin", "Paul Durand"]
    assert meta["description"] == "Une description sur deux lignes."
    assert meta["keywords"] == ["alpha", "beta", "gamma"]
    assert meta["canonical"] == "https://example.org/a/canonical.html"
    assert meta["lang"] == "fr"


def test_french_date_text_in_a_meta_is_normalised():
    meta = meta_of('<meta name="date" content="jeudi 12 octobre 2023">')
    assert meta["published"] == "2023-10-12"


def test_unparseable_date_is_none():
    assert meta_of('<meta name="DC.date" content="sometime soon">')["published"] is None


def test_canonical_falls_back_to_og_url_and_ignores_non_http():
    head = (
        '<link rel="canonical" href="javascript:void(0)">'
        '<meta property="og:url" content="https://example.org/og-url">'
    )
    assert meta_of(head)["canonical"] == "https://example.org/og-url"


def test_double_escaped_entities_are_decoded():
    head = '<meta name="description" content="L&amp;#039;&amp;#233;t&amp;#233; (...)">'
    assert meta_of(head)["description"] == "L'été (...)"


def test_duplicate_authors_and_keywords_are_dropped():
    head = ld({"@type": "Article", "author": ["Same Name", "same name"], "keywords": "a, A, b"})
    meta = meta_of(head)
    assert meta["authors"] == ["Same Name"]
    assert meta["keywords"] == ["a", "b"]


def test_xml_lang_attribute_and_bad_lang():
    assert meta_of("", html_attrs='xml:lang="en-US"')["lang"] == "en"
    assert meta_of("", html_attrs='lang="not a language"')["lang"] is None
