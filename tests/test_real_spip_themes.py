"""The real SPIP served with a third-party theme (tests/real_spip.py's ``theme`` and ``use_theme``).

The theme is our own, in tests/fixtures/real_spip/theme/: a plugin nested in ``plugins/``, as
some published themes are, whose options and functions files its article template needs.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from article_archive_sample import default_site_dir, load_site
from real_spip import HERE, RealSpip, plugin_files, theme_root
from sample_truth import norm, plain

THEME = HERE / "theme"


def test_the_theme_folder_is_found_where_the_theme_nests_it() -> None:
    assert theme_root(THEME) == THEME / "plugins" / "petit"


def test_a_plugin_declares_its_files_by_prefix_or_by_name(tmp_path: Path) -> None:
    assert plugin_files(THEME / "plugins" / "petit") == (
        ["petit_options.php"],
        ["petit_fonctions.php"],
    )
    legacy = tmp_path / "ancien"
    legacy.mkdir()
    (legacy / "plugin.xml").write_text(
        "<plugin><prefix>ancien</prefix><options>\n\tinc/ancien_opt.php\n</options>"
        "<fonctions>absent.php</fonctions></plugin>",
        encoding="utf-8",
    )
    (legacy / "inc").mkdir()
    (legacy / "inc" / "ancien_opt.php").write_text("<?php\n", encoding="utf-8")
    # a declared file the theme does not ship is left out
    assert plugin_files(legacy) == (["inc/ancien_opt.php"], [])
    assert plugin_files(tmp_path) == ([], [])


@pytest.fixture(scope="module")
def spip(tmp_path_factory):
    with RealSpip(tmp_path_factory.mktemp("spip"), load_site(default_site_dir()), theme=THEME) as s:
        yield s


def _article_page(spip: RealSpip, id_article: int) -> BeautifulSoup:
    answer = httpx.get(f"{spip.base_url}spip.php?page=article&id_article={id_article}", timeout=60)
    assert answer.status_code == 200
    return BeautifulSoup(answer.text, "html.parser")


def test_the_theme_renders_with_its_own_options_and_functions(spip) -> None:
    art = spip.site.articles[50]
    page = _article_page(spip, art.id)
    assert norm(page.select_one("h1.titre-petit").get_text()) == plain(art.title) + " [petit]"
    assert page.select_one("p.marque-petit").get_text() == "options-du-theme-petit"
    assert page.find("meta", attrs={"name": "generator"}) is None  # not SPIP's own templates


def test_swapping_themes_starts_again_from_the_loaded_site(spip) -> None:
    art = spip.site.articles[50]
    spip.edit_article(art.id, titre="Un titre changé entre deux thèmes")
    assert spip.use_theme(None) == []
    page = _article_page(spip, art.id)
    assert page.select_one("h1.titre-petit") is None
    assert page.find("meta", attrs={"name": "generator"}) is not None  # SPIP's own templates
    assert norm(page.select_one("h1").get_text()) == plain(art.title)
    assert spip.use_theme(THEME) == ["petit_options.php", "petit_fonctions.php"]
    assert (
        norm(_article_page(spip, art.id).select_one("h1").get_text())
        == plain(art.title) + " [petit]"
    )
