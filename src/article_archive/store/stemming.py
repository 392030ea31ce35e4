"""Snowball stemming for the ranked search index (``article_stems``).

Words are stemmed first (the Snowball rules use accents, e.g. French "premières") and folded
afterwards, so that a query typed without accents meets the accented text. Where stemming the
accent-less spelling gives another stem ("premières" → premi, "premieres" → premier), the
indexed text carries both, so both spellings of the query find it.

Chinese, Japanese and Korean write words without spaces between them (Korean between
phrases only), so a run of those scripts is indexed as its overlapping pairs of characters
("日本の原子力" → 日本 本の の原 原子 子力) and a query run becomes the phrase of its pairs
("原子力" → "原子 子力"): a word is found anywhere inside a run of text. A one-character
query is a prefix of the pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

import Stemmer

# ISO 639-1 code -> Snowball algorithm; only those PyStemmer ships are used.
LANGUAGES = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# Letters and digits; apostrophes, hyphens and underscores split words (l'élection → l, élection).
WORD = re.compile(r"[^\W_]+")
# Han (with extensions and compatibility ideographs), kana, Hangul syllables and jamo.
CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+"
)
# Ligatures that Unicode decomposition leaves alone but readers type as two letters.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae"})


def tokenize(text: str) -> list[str]:
    """The lower-cased words of ``text``, ligatures spelled out."""
    return WORD.findall(text.lower().translate(LIGATURES))


def fold(word: str) -> str:
    """``word`` without diacritics ("nucléaire" → "nucleaire")."""
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=64)
def _stemmer(algorithm: str) -> Stemmer.Stemmer | None:
    if algorithm not in Stemmer.algorithms():
        return None
    return Stemmer.Stemmer(algorithm)


def stemmer_for(lang: str | None) -> Stemmer.Stemmer | None:
    """The (cached) Snowball stemmer of a language code such as ``fr`` or ``fr-FR``, or None."""
    if not lang:
        return None
    algorithm = LANGUAGES.get(lang.strip().lower().replace("_", "-").split("-")[0])
    return _stemmer(algorithm) if algorithm else None


def has_cjk(text: str | None) -> bool:
    """Whether ``text`` holds Chinese, Japanese or Korean characters (indexed as pairs)."""
    return text is not None and CJK.search(text) is not None


def cjk_pairs(run: str) -> list[str]:
    """The overlapping pairs of characters of a CJK run (the run itself when one character)."""
    return [run[i : i + 2] for i in range(max(1, len(run) - 1))]


def _split_cjk(word: str) -> Iterator[tuple[str, bool]]:
    """The pieces of ``word``: (text, is CJK), in order ("NHK原子力" → NHK, 原子力)."""
    last = 0
    for match in CJK.finditer(word):
        if match.start() > last:
            yield word[last : match.start()], False
        yield match.group(), True
        last = match.end()
    if last < len(word):
        yield word[last:], False


def _forms(word: str, stemmer: Stemmer.Stemmer | None) -> Iterator[str]:
    """The folded stem of ``word``, then the stem of its folded spelling when different.

    A word holding CJK characters gives, for each CJK run, its pairs (see the module).
    """
    if CJK.search(word):
        for piece, cjk in _split_cjk(word):
            yield from cjk_pairs(piece) if cjk else _forms(piece, stemmer)
        return
    if stemmer is None:
        yield fold(word)
        return
    stem = fold(stemmer.stemWord(word))
    yield stem
    folded = fold(word)
    if folded != word:
        other = stemmer.stemWord(folded)
        if other != stem:
            yield other


@lru_cache(maxsize=200_000)
def _word_forms(word: str, stemmer: Stemmer.Stemmer | None) -> tuple[str, ...]:
    """``_forms`` of one word, remembered: an article's words are mostly words seen before."""
    return tuple(_forms(word, stemmer))


def stem_text(text: str, lang: str | None) -> str:
    """Stemmed, accent-folded words of ``text`` joined by spaces (no stemming for unknown lang)."""
    if not text:
        return ""
    stemmer = stemmer_for(lang)
    return " ".join(form for word in tokenize(text) for form in _word_forms(word, stemmer))


def query_stems(word: str, langs: Iterable[str | None]) -> set[str]:
    """Folded stems of one query word under each language, plus the plain folded word.

    The plain word matches articles whose language has no stemmer. A ``word`` holding
    several words (``l'élection``) gives the forms of all of them. A CJK run gives one
    form: its pairs joined by spaces, which quoted is the FTS5 phrase of the pairs.
    """
    stemmers = {stemmer_for(lang) for lang in langs}
    stemmers.add(None)
    forms: set[str] = set()
    for token in tokenize(word):
        if CJK.search(token):
            forms.add(" ".join(_forms(token, None)))
            continue
        for stemmer in stemmers:
            forms.update(_forms(token, stemmer))
    return forms
