"""Loading the sample site format (article_archive_sample.site)."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from article_archive_sample.site import SiteFormatError, load_site, propre_slug

MINI = Path(__file__).parent / "fixtures" / "mini-site"


def test_loads_settings_rubrics_authors_keywords_documents():
    site = load_site(MINI)
    assert site.name == "Gazette des essais"
    assert site.rubriques[3].charset == "iso-8859-1"
    assert site.rubriques[4].template == "spip4"
    assert site.rubriques[2].parent == 1
    assert site.authors[1].url == "_Nakamura-Aiko_"
    assert site.keywords[1].url == "+-Nucleaire-+"
    assert site.rubriques[4].url == "-Feminismes-"
    assert (site.documents[1].width, site.documents[1].height) == (40, 30)


def test_article_fields():
    art = load_site(MINI).articles[1]
    assert art.slug == "la-digue-et-le-port"
    assert art.date == datetime(2023, 10, 12, 9, 30)
    assert art.date_redac == date(2023, 10, 4)
    assert art.date_modif == datetime(2023, 10, 14, 18, 0)
    assert art.authors == [1, 2]
    assert art.chapo.startswith("{{Le chapeau")
    assert art.texte.startswith("Premier paragraphe")


def test_unpublished_articles_are_hidden():
    site = load_site(MINI)
    assert 5 in site.articles
    assert site.article(5) is None
    assert site.article_by_slug("un-brouillon") is None
    assert 5 not in [a.id for a in site.published()]


def test_translation_groups():
    site = load_site(MINI)
    assert [a.lang for a in site.translations(site.articles[1])] == ["en", "fr"]
    assert [a.id for a in site.translations(site.articles[2])] == [2, 1]
    assert site.translations(site.articles[3]) == []


def test_branch_and_path():
    site = load_site(MINI)
    assert site.branch(1) == {1, 2}
    assert [r.title for r in site.rubric_path(2)] == ["Asie", "Japon"]


def test_reloads_when_an_article_changes(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(MINI, root)
    assert load_site(root).articles[3].title.startswith("Grève")
    path = next((root / "articles").glob("0003-*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("Grève à", "Débrayage à"), "utf-8")
    later = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(later, later))
    assert load_site(root).articles[3].title.startswith("Débrayage")


def test_reloads_when_an_article_is_added(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(MINI, root)
    assert 9 not in load_site(root).articles
    (root / "articles" / "0009-new.txt").write_text(
        '+++\nid = 9\nrubrique = 1\ntitle = "Neuf"\ndate = "2024-01-01T10:00:00"\n+++\nTexte.\n',
        encoding="utf-8",
    )
    site = load_site(root)
    assert site.articles[9].slug == "Neuf"


def test_bad_header_is_reported(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(MINI, root)
    (root / "articles" / "0010-bad.txt").write_text("no header\n", encoding="utf-8")
    with pytest.raises(SiteFormatError, match=r"0010-bad\.txt"):
        load_site(root)


def test_propre_slug():
    assert propre_slug("Écologie et œuvres d'art !") == "Ecologie-et-oeuvres-d-art"
