"""Datasette metadata for an archive: title, licence, facets, sort, FTS, column descriptions."""

from __future__ import annotations

from typing import Any

from article_archive.web.integration import SHOW_ALL

DESCRIPTION = (
    "Articles archived from news and opinion websites (SPIP sites first), searchable in full "
    "text. Read them at /, search at /{db}/search, or browse the tables below."
)

COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "id": "Our id; the reader page is /{db}/articles/{id}/read",
        "url": "Canonical address of the article",
        "site": "Host name of the website",
        "spip_id": "SPIP's numeric article id (spip.php?articleN)",
        "lang": "ISO 639-1 language",
        "title": "The article's title",
        "surtitle": "SPIP surtitre",
        "subtitle": "SPIP soustitre",
        "section": "Rubric the article belongs to (SPIP rubrique)",
        "section_path": "Breadcrumb of rubrics from the top (JSON list)",
        "published": "Publication date, ISO 8601",
        "written": "Earlier writing date (Date de rédaction antérieure), ISO 8601",
        "updated": "Last modification given by the page, ISO 8601",
        "year": "Year of publication",
        "lead": "The chapo / standfirst, plain text",
        "body_html": "The article's text as sanitized HTML",
        "body_text": "The article's text as plain text, footnote calls as [1]",
        "postscript": "SPIP's P.-S. (often source and translation credits)",
        "toc": "The article's headings (JSON list of level, title, anchor)",
        "translations": "The same article in other languages (JSON list of lang, url)",
        "word_count": "Words in body_text",
        "extractor": "Which extractor produced the record, and its version",
        "authors_text": "Author names joined with commas",
        "author_names": "Author names as a JSON list (the author facet counts each one)",
        "keywords_text": "Keywords (SPIP mots-clés) joined with commas",
        "page_id": "The raw page this was extracted from (pages.id)",
        "first_seen": "When the article was first archived",
        "last_fetched": "When the article was last fetched",
        "content_hash": "SHA-256 of the content fields; a change makes a revision",
    },
    "authors": {"id": "Author id", "name": "Name as the site shows it", "url": "Author page"},
    "keywords": {"id": "Keyword id", "name": "Keyword (SPIP mot-clé)"},
    "footnotes": {
        "article_id": "The article (articles.id)",
        "position": "Order of the note in the article",
        "number": "The note's number as shown",
        "text": "The note as plain text",
        "html": "The note as sanitized HTML",
    },
    "revisions": {
        "article_id": "The article (articles.id)",
        "content_hash": "Content hash of this earlier version",
        "fetched_at": "When this earlier version was fetched",
        "title": "Title of the earlier version",
        "body_text": "Plain text of the earlier version",
        "body_html": "HTML of the earlier version",
    },
    "pages": {
        "url": "Address fetched",
        "final_url": "Address after redirects",
        "kind": "What the page was fetched as (article, feed, listing, sitemap…)",
        "status": "HTTP status",
        "content_type": "Content-Type header",
        "charset": "Character set used to decode the body",
        "fetched_at": "When it was fetched",
        "elapsed": "Seconds the fetch took",
        "etag": "ETag header, for conditional fetches",
        "last_modified": "Last-Modified header, for conditional fetches",
        "headers": "Response headers (JSON)",
        "body": "Raw body, zlib-compressed (shown here as its size)",
        "body_size": "Size of the raw body in bytes",
        "error": "Why the fetch failed, if it did",
        "article_id": "The article extracted from it (articles.id)",
    },
    "frontier": {
        "url": "Address to fetch",
        "site": "Host name",
        "kind": "What it is expected to be (article, feed, listing…)",
        "state": "pending, done, failed, absent…",
        "attempts": "Fetch attempts so far",
        "next_try": "Not before this time",
        "last_error": "The last failure",
        "discovered_from": "Where the address was found",
        "spip_id": "SPIP article id, when known",
        "added_at": "When it was added",
        "updated_at": "When its state last changed",
    },
    "feeds": {
        "url": "Feed address",
        "site": "Host name",
        "title": "Feed title",
        "last_checked": "When it was last fetched",
        "etag": "ETag header, for conditional fetches",
        "last_modified": "Last-Modified header, for conditional fetches",
        "status": "HTTP status of the last check",
        "error": "Why the last check failed, if it did",
    },
}


# Read-only views of the crawl that a user checks while a backfill runs or after it failed.
CANNED_QUERIES: dict[str, dict[str, str]] = {
    "failures": {
        "title": "Crawl failures",
        "description": "Addresses that failed for good, newest first, with the reason.",
        "sql": (
            "select url, kind, attempts, last_error, updated_at, discovered_from "
            "from frontier where state = 'failed' order by updated_at desc"
        ),
    },
    "pending": {
        "title": "Still to fetch",
        "description": "The crawl's work list: what the next run will fetch first.",
        "sql": (
            "select url, kind, attempts, next_try, last_error from frontier "
            "where state in ('pending', 'in_progress') order by next_try, id"
        ),
    },
    "frontier_by_state": {
        "title": "Crawl progress by state",
        "description": "How many addresses are pending, done, failed, absent or skipped.",
        "sql": "select kind, state, count(*) as n from frontier group by kind, state order by kind",
    },
}


def database_metadata() -> dict[str, Any]:
    """Table settings for one archive database."""
    tables: dict[str, Any] = {name: {"columns": cols} for name, cols in COLUMNS.items()}
    tables["articles"].update(
        {
            "description_html": (
                "One row per archived article; the title opens the reader page. Search here "
                "is stemmed, as on the search page (which also ranks, highlights and counts "
                "facets over every match). The long text columns are hidden here: "
                f'<a href="?{SHOW_ALL}=1">show every column</a>.'
            ),
            "facets": ["section", {"array": "author_names"}, "lang", "year"],
            "sort_desc": "published",
            "label_column": "title",
            # Stemmed, through ``escape_fts`` as the plugin defines it on archives.
            "fts_table": "article_stems",
            "size": 50,
        }
    )
    tables["authors"]["label_column"] = "name"
    tables["keywords"]["label_column"] = "name"
    tables["pages"]["description"] = "Every fetched address with its raw body (compressed)."
    tables["frontier"]["description"] = "Addresses the crawler knows about, and their state."
    tables["feeds"]["description"] = "Feeds the crawler follows."
    tables["revisions"]["description"] = "Earlier versions of articles whose content changed."
    tables["captures"] = {"description": "Every distinct body an address answered (compressed)."}
    tables["articles_fts"] = {"hidden": True}
    tables["article_stems"] = {"hidden": True}
    return {"tables": tables, "queries": CANNED_QUERIES}


def archive_metadata(database_names: list[str]) -> dict[str, Any]:
    """The instance metadata for the given archive databases."""
    return {
        "title": "article-archive",
        "description": DESCRIPTION,
        "source": "The archived websites (see each article's url)",
        "license": "Articles remain under their authors' and publishers' terms",
        "about": "article-archive",
        "databases": {name: database_metadata() for name in database_names},
    }
