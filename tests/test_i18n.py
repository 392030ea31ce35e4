"""The interface catalogues: complete in every language, in step with the templates."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from article_archive.web.i18n import (
    catalogue_path,
    languages,
    long_date,
    preferred,
    translations,
    ui_language,
)

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(lang: str):
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def test_french_and_english_are_there() -> None:
    assert {"fr", "en"} <= languages()


def test_catalogues_are_in_step_with_the_templates() -> None:
    script = ROOT / "scripts" / "i18n_catalogue.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_catalogue_holds_the_same_messages() -> None:
    ids = {lang: {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
           for lang in languages()}  # fmt: skip
    assert len(ids["en"]) > 80
    for lang, found in ids.items():
        assert found == ids["en"], lang


@pytest.mark.parametrize("lang", sorted(languages() - {"en"}))
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    for message in _catalog(lang):
        if not message.id:
            continue
        singular = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: {singular!r} is not translated"
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(str(message.id))), (
                lang,
                singular,
            )
            assert not message.fuzzy, singular


def test_translations_are_read_from_the_po_file() -> None:
    assert translations("fr").gettext("Other languages") == "Autres langues"
    assert translations("fr").ngettext("%(n)s word.", "%(n)s words.", 2) == "%(n)s mots."
    assert translations("xx").gettext("Other languages") == "Other languages"


def test_dates_as_people_write_them() -> None:
    assert long_date("2022-12-28", "fr") == "28\u00a0décembre 2022"
    assert long_date("2022-12-01T10:00:00+01:00", "fr") == "1er\u00a0décembre 2022"
    assert long_date("2022-12-28", "en") == "December\u00a028, 2022"
    assert long_date("2022-12-28", "de") == "28.\u00a0Dezember 2022"
    assert long_date("2022-12-28", "zz-weird") == "December\u00a028, 2022"
    assert long_date("sometime", "fr") == "sometime"
    assert long_date("2022-13-45", "fr") == "2022-13-45"


def test_accept_language_is_ranked() -> None:
    assert preferred("de;q=1, fr;q=0.8, en;q=0.9") == ["de", "en", "fr"]
    assert preferred("fr-CH, fr;q=0.9, *;q=0.5, xx;q=0") == ["fr-CH", "fr"]
    assert preferred(None) == []
    assert ui_language("de", "fr-CH", "en") == "fr"
    assert ui_language("ja") == "en"
