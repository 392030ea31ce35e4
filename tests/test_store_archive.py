"""store.archive: the one write door — what each outcome writes, links, refusals, reparse."""

from __future__ import annotations

import ast
import re
import zlib
from pathlib import Path

import pytest

from article_archive import store
from article_archive.models import Article, Author, FetchResult
from article_archive.store import Capture, StoredCapture, save_article
from article_archive.store.articles import InvalidArticleError
from conftest import make_article

URL = "https://www.example.org/spip.php?article1"
BODY = b"<html><body><h1>Les centrales</h1></body></html>"
PACKAGE = Path(__file__).resolve().parent.parent / "src" / "article_archive"


def fetched(url: str = URL, *, body: bytes = BODY, status: int = 200, **extra) -> FetchResult:
    """One answer as the fetcher gives it."""
    fields = {"fetched_at": "2024-01-01T10:00:00+00:00", "content_type": "text/html", **extra}
    return FetchResult(url=url, final_url=url, status=status, headers={}, body=body, **fields)


def page_row(db, url: str = URL) -> dict:
    return next(db.query("SELECT * FROM pages WHERE url = ?", [url]))


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_page_and_its_article_point_at_each_other(archive) -> None:
    done = archive_(archive, fetched(), article=make_article())
    assert (done.saved, done.url, done.spip_id) == ("new", URL, 1)
    page = page_row(archive)
    assert page["id"] == done.page_id and page["kind"] == "article"
    assert page["article_id"] == done.article_id
    assert archive["articles"].get(done.article_id)["page_id"] == done.page_id
    assert zlib.decompress(page["body"]) == BODY


def archive_(db, result: FetchResult, *, kind: str = "article", **options) -> store.Archived:
    """``store.archive`` of a fresh answer (the ``archive`` fixture is the database)."""
    return store.archive(db, Capture(result, kind), **options)


def test_the_same_answer_again_writes_nothing(archive) -> None:
    first = archive_(archive, fetched(etag='"v1"'), article=make_article())
    before = (page_row(archive), archive["articles"].get(first.article_id))
    later = fetched(etag='"v1"', fetched_at="2024-02-01T10:00:00+00:00")
    again = archive_(archive, later, article=make_article())
    assert (again.saved, again.page_id, again.article_id) == ("unchanged", None, None)
    assert (page_row(archive), archive["articles"].get(first.article_id)) == before


def test_new_validators_refresh_the_page_not_the_content(archive) -> None:
    first = archive_(archive, fetched(etag='"v1"'), article=make_article())
    later = fetched(etag='"v2"', fetched_at="2024-02-01T10:00:00+00:00")
    again = archive_(archive, later, article=make_article())
    assert (again.saved, again.page_id, again.article_id) == ("unchanged", first.page_id, 1)
    assert page_row(archive)["etag"] == '"v2"'
    assert archive["articles"].get(1)["last_fetched"] == "2024-02-01T10:00:00+00:00"
    assert count(archive, "revisions") == 0


def test_a_failed_answer_is_recorded_beside_the_good_page_it_cannot_replace(archive) -> None:
    # Issue 11: a later non-article answer never replaces a stored good capture (it used to
    # overwrite the page and unlink its article); it is recorded beside it.
    done = archive_(archive, fetched(), article=make_article())
    broken = fetched(body=b"<html></html>", error="ExtractionError: no title")
    failed = archive_(archive, broken, outcome="failed")
    page = page_row(archive)
    assert (failed.page_id, failed.saved, failed.kept) == (page["id"], None, True)
    assert (page["error"], page["article_id"]) == (None, done.article_id)
    assert zlib.decompress(page["body"]) == BODY
    assert (page["last_status"], page["last_error"]) == (200, "ExtractionError: no title")
    assert count(archive, "articles") == 1  # the article stays


def test_the_same_absence_is_written_once(archive) -> None:
    gone = fetched(URL, body=b"", status=404, error="HTTP 404")
    first = store.archive(archive, Capture(gone, "spip_id", keep_body=False), outcome="absent")
    stamp = page_row(archive)["fetched_at"]
    later = fetched(URL, body=b"", status=404, error="HTTP 404", fetched_at="2025-01-01T00:00:00")
    again = store.archive(archive, Capture(later, "spip_id", keep_body=False), outcome="absent")
    assert again.page_id == first.page_id
    assert page_row(archive)["fetched_at"] == stamp
    assert page_row(archive)["body"] is None


def test_unchanged_writes_nothing(archive) -> None:
    assert archive_(archive, fetched(), kind="feed", outcome="unchanged").page_id is None
    assert count(archive, "pages") == 0


def test_a_refused_article_leaves_nothing_behind(archive) -> None:
    with pytest.raises(InvalidArticleError):
        archive_(archive, fetched(), article=make_article(title=" "))
    assert (count(archive, "pages"), count(archive, "articles")) == (0, 0)


def test_an_article_only_with_a_done_answer(archive) -> None:
    with pytest.raises(ValueError, match="'done'"):
        archive_(archive, fetched(), outcome="failed", article=make_article())
    with pytest.raises(ValueError, match="unknown outcome"):
        archive_(archive, fetched(), outcome="gone")  # type: ignore[arg-type]


def test_article_records_are_archived_like_their_dicts(archive) -> None:
    record = Article(url=URL, site="www.example.org", spip_id=7, title="Le port")
    record.authors = [Author("Ana")]
    done = archive_(archive, fetched(), article=record)
    assert (done.saved, done.spip_id) == ("new", 7)
    row = archive["articles"].get(done.article_id)
    assert (row["title"], row["authors_text"]) == ("Le port", "Ana")


def test_a_stored_capture_is_re_extracted_without_revision(archive) -> None:
    done = archive_(archive, fetched(), article=make_article())
    page = page_row(archive)
    stored = StoredCapture(done.page_id, URL, page["body"], page["headers"])
    again = store.archive(archive, stored, article=make_article(title="Les centrales (corrigé)"))
    assert (again.saved, again.article_id, again.page_id) == ("updated", 1, done.page_id)
    assert archive["articles"].get(1)["title"] == "Les centrales (corrigé)"
    assert count(archive, "revisions") == 0
    assert page_row(archive) == page  # the stored answer is left as it was


def test_pages_article_id_has_one_writer() -> None:
    """Only ``store/pages.py``'s ``link_article`` writes ``pages.article_id``."""
    writers = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"SET\s+article_id", path.read_text(encoding="utf-8"), re.IGNORECASE)
    ]
    assert writers == ["store/pages.py"]
    text = (PACKAGE / "store" / "pages.py").read_text(encoding="utf-8")
    assert len(re.findall(r"SET\s+article_id", text, re.IGNORECASE)) == 1


WRITE_SQL = re.compile(
    r"^\s*(INSERT\s+(OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|(CREATE|DROP)\s+(\w+\s+)*(TABLE|INDEX|TRIGGER|VIEW)|ALTER\s+TABLE|PRAGMA\s+\w+\s*=)",
    re.IGNORECASE,
)
SQL_CALLS = {"execute", "executemany", "executescript", "query"}


def _sql_strings(tree: ast.AST) -> list[str]:
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if WRITE_SQL.match(node.value)
    ]


def _sql_calls(tree: ast.AST) -> list[str]:
    return [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        if node.func.attr in SQL_CALLS
    ]


def test_no_sql_that_writes_outside_store() -> None:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith("store/"):
            strings = _sql_strings(ast.parse(path.read_text(encoding="utf-8")))
            if strings:
                found[relative] = strings
    assert found == {}


def test_crawl_import_and_reparse_hold_no_sql() -> None:
    modules = [*(PACKAGE / "crawl").glob("*.py"), PACKAGE / "ingest.py", PACKAGE / "reparse.py"]
    found = {}
    for path in modules:
        calls = _sql_calls(ast.parse(path.read_text(encoding="utf-8")))
        if calls:
            found[path.name] = calls
    assert found == {}


def test_save_article_still_links_a_page(archive) -> None:
    """``save_article`` (store's internal) links through the same one writer."""
    page_id = archive["pages"].insert({"url": URL, "status": 200, "kind": "article"}).last_pk
    article_id, _ = save_article(archive, make_article(), page_id=page_id)
    assert archive["pages"].get(page_id)["article_id"] == article_id
