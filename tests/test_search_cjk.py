"""Chinese, Japanese and Korean search: a word is found inside a run of text."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_archive.search import search_ids
from article_archive.store import open_archive, save_article
from conftest import make_article

TEXTS = {
    "ja": (
        "日本の原子力発電所",
        "福島第一原子力発電所の処理水が海に放出された。漁業者は反対している。",
    ),
    "zh": ("中国的核电站建设", "中国正在沿海地区建设新的核电站，环保组织表示担忧。"),
    "ko": ("한국의 원자력 발전소", "정부는 원자력발전소 수명 연장을 결정했다. 주민들은 반대한다."),
}


@pytest.fixture
def cjk_db(tmp_path: Path):
    db = open_archive(tmp_path / "cjk.db")
    for n, (lang, (title, body)) in enumerate(TEXTS.items(), start=1):
        art = make_article(
            url=f"https://example.org/{lang}",
            lang=lang,
            title=title,
            lead=None,
            body_text=body,
            body_html=f"<p>{body}</p>",
            authors=[],
            keywords=[],
            footnotes=[],
            spip_id=n,
        )
        save_article(db, art)
    save_article(db, make_article(url="https://example.org/fr"))
    yield db, {lang: _id(db, lang) for lang in TEXTS}
    db.close()


def _id(db, lang: str) -> int:
    return db.execute("SELECT id FROM articles WHERE lang = ?", [lang]).fetchone()[0]


def test_japanese_word_inside_a_run(cjk_db) -> None:
    db, ids = cjk_db
    assert search_ids(db, "原子力") == [ids["ja"]]
    assert search_ids(db, "処理水") == [ids["ja"]]
    assert search_ids(db, "漁業者") == [ids["ja"]]
    assert search_ids(db, "原子炉") == []  # shares 原子 but is another word


def test_chinese_word_inside_a_run(cjk_db) -> None:
    db, ids = cjk_db
    assert search_ids(db, "核电站") == [ids["zh"]]
    assert search_ids(db, "环保") == [ids["zh"]]
    assert search_ids(db, "核电厂") == []


def test_korean_word_inside_a_phrase(cjk_db) -> None:
    db, ids = cjk_db
    assert search_ids(db, "원자력") == [ids["ko"]]  # in 원자력 and inside 원자력발전소
    assert search_ids(db, "발전소") == [ids["ko"]]
    assert search_ids(db, "수명") == [ids["ko"]]
    assert search_ids(db, "원자로") == []


def test_one_character_and_mixed_queries(cjk_db) -> None:
    db, ids = cjk_db
    assert ids["ja"] in search_ids(db, "海")
    assert search_ids(db, "原子力 -福島") == []
    assert set(search_ids(db, "原子力 OR 核电站")) == {ids["ja"], ids["zh"]}
    assert search_ids(db, "nucléaires") != []  # Latin-script search is unchanged


def test_archive_saved_before_version_5_is_restemmed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_archive(path)
    title, body = TEXTS["ja"]
    art = make_article(title=title, lang="ja", body_text=body, lead=None, keywords=[])
    save_article(db, art)
    # As version 4 stored it: the whole run as one token.
    db.execute("UPDATE article_stems SET title = ?, body = ?", [title, body])
    db.execute("UPDATE _meta SET value = '4' WHERE key = 'schema_version'")
    db.conn.commit()
    assert search_ids(db, "原子力") == []
    db.close()
    db = open_archive(path)
    assert len(search_ids(db, "原子力")) == 1
    db.close()


async def test_search_page_and_table_search_find_words_in_runs(cjk_db, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    from article_archive.web.serve import make_datasette

    ds = make_datasette(tmp_path / "cjk.db")
    for q, lang in (("原子力", "ja"), ("核电站", "zh"), ("원자력", "ko")):
        page = await ds.client.get("/cjk/search", params={"q": q})
        doc = BeautifulSoup(page.text, "html.parser")
        assert [a.get_text() for a in doc.select(".aa-card-title a")] == [TEXTS[lang][0]], q
        table = await ds.client.get(
            "/cjk/articles.json", params={"_search": q, "_shape": "objects"}
        )
        assert [row["title"] for row in table.json()["rows"]] == [TEXTS[lang][0]], q
