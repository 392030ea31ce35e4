"""The labels SPIP prints from its language files, in every language SPIP ships.

Read once from SPIP 4.4's ``ecrire/lang/{ecrire,public,spip}_*.php`` (the keys named above each
tuple), with their colons and spaces trimmed and case-folded, longest first. A theme prints
them with ``<:key:>``, whatever its markup, so they are what a date, byline or P.-S. is known
by when the classes say nothing.
"""

from __future__ import annotations

LABEL_REACH = 300
_PUNCTUATION = "()[]{}«»\"'.,;:!?-–—|/"


class LabelHints:
    """Where one of ``labels`` is in a text, found fast.

    A text holds a label only if one of its words is that label's first word, or, for the
    labels of scripts written without spaces, if it holds the whole label: only those labels
    are then searched for, instead of one substring search per label (or one case-insensitive
    regex of them all, much slower still).
    """

    def __init__(self, labels: tuple[str, ...]):
        by_first: dict[str, list[str]] = {}
        for label in labels:
            if " " in label:
                by_first.setdefault(label.split()[0], []).append(label)
        self.by_first = by_first
        self.unspaced = tuple(label for label in labels if " " not in label)

    def _candidates(self, lowered: str) -> list[str]:
        """The labels ``lowered`` (a lower-cased text) may hold."""
        by_first = self.by_first
        found = [label for label in self.unspaced if label in lowered]
        for word in lowered.split():
            labels = by_first.get(word.strip(_PUNCTUATION))
            if labels:
                found += labels
        return found

    def may_hold(self, text: str) -> bool:
        """Whether ``text`` may hold one of the labels (in its first ``LABEL_REACH`` chars)."""
        lowered = text[:LABEL_REACH].lower()
        by_first = self.by_first
        return any(w.strip(_PUNCTUATION) in by_first for w in lowered.split()) or any(
            label in lowered for label in self.unspaced
        )

    def find(self, text: str) -> tuple[int, int] | None:
        """(start, end) of the first of the labels in ``text``, whatever its case.

        Only the text's first ``LABEL_REACH`` characters are read: a label opens its line or
        follows a short byline, and a long paragraph is not read word by word.
        """
        lowered = text[:LABEL_REACH].lower()
        if len(lowered) != min(len(text), LABEL_REACH):  # a longer lower case: spans would slip
            lowered = text[:LABEL_REACH]
        best: tuple[int, int] | None = None
        for label in self._candidates(lowered):
            at = lowered.find(label)
            span = (at, at + len(label))
            if at >= 0 and (best is None or (at, -span[1]) < (best[0], -best[1])):
                best = span  # the first, and the longest of those starting there
        return best


# info_date_publication_anterieure, texte_date_publication_anterieure (date_redac)
WRITTEN_LABELS = (
    "កាលបរិច្ឆេទនៃការបោះពុម្ភផ្សាយកាលពីលើកមុន",
    "dato for tidligere offentliggørelse",
    "dátum predchádzajúceho publikovania",
    "datum einer früheren bearbeitung",
    "datum för tidigare publicering",
    "azan ɖê ye sɔ wěma sɔ xlɛ ɔ",
    "daha önceki yayınlanma tarihi",
    "data anteriora de publicacion",
    "data de publicacion anteriora",
    "data anterioura de redacioun",
    "data de redacioun anterioura",
    "date de rédaction antérieure",
    "tanggal publikasi sebelumnya",
    "дата на предишно публикуване",
    "data anteriora de redaccion",
    "data de publicação anterior",
    "data de redaccion anteriora",
    "data di redazione anteriore",
    "data poprzedniej publikacji",
    "datum proslog objavljivanja",
    "fecha de redacción anterior",
    "fecha de redaición anterior",
    "nayrt’ir uru aka qillqawita",
    "bir önceki düzeltme tarihi",
    "dat li te fin pibliyé avan",
    "data de redacción anterior",
    "data redactării anterioare",
    "datum van eerdere redactie",
    "ngày tháng của bài đã đăng",
    "éischten redaktiouns-datum",
    "תאריך של הוצאה לאור מוקדמת",
    "avans ladat lapiblikasyon",
    "data de redacció anterior",
    "data de redacção anterior",
    "datum proslog uredjivanja",
    "dátum prvého publikovania",
    "éischten redaktiounsdatum",
    "дата попередньої редакції",
    "data de redação anterior",
    "data di ùltima scrittura",
    "elöző szerkesztés dátuma",
    "lehengo argitarapen data",
    "lehengo argitaratze data",
    "အရင်ထုတ်ဝေခဲ့သည့် ရက်စွဲ",
    "កាលបរិច្ឆេទបោះពុម្ពមុនគេ",
    "deiziad skridaozañ kent",
    "ngày phát hành truớc đó",
    "previously published on",
    "dat li té pibliyé avan",
    "dato de antaŭa redakto",
    "tanggal publikasi awal",
    "datum poslední úpravy",
    "ladat redaksyon davan",
    "အရင်ထုတ်ဝေသည့် ရက်စွဲ",
    "date first published",
    "deiziad embann kent",
    "дополнительная дата",
    "تاريخ النشر السابق",
    "تاريخ نگارش قبلى",
    "додаткова дата",
    "àzán gùdó tɔn",
    "更早出版的日期",
    "更早的出版日期",
    "公開前の日付",
    "前日付の公開",
)

# info_mise_en_ligne
PUBLISHED_LABELS = (
    "ថ្ងៃខែឆ្នាំ បានផ្សព្វផ្សាយ លើអិនរើណែត",
    "dato for offentliggørelse online",
    "datum vun der verëffentlechung",
    "data di pubblicazione on line",
    "datum för publicering online",
    "datum van online publicatie",
    "lakaet war ar rouedad d’an",
    "အွန်လိုင်းထုတ်ဝေသည့်ရက်စွဲ",
    "data de publicação online",
    "qalltkis naktawix uka uru",
    "data de colocação online",
    "fecha de puesta en línea",
    "tanggal publikasi online",
    "data de hicada en linha",
    "datum zveřejnění online",
    "fecha d’espublizamientu",
    "data de messa en ligna",
    "data di messa in ligna",
    "data publikacji online",
    "çevrimiçi yayın tarihi",
    "data de mesa en linha",
    "data de posta en liña",
    "date de mise en ligne",
    "ngày đăng tải online",
    "publikálás időpontja",
    "dat pou mèt an liyn",
    "datum objavljivanja",
    "תאריך של פרסום ברשת",
    "data de publicació",
    "дата на публикация",
    "ladat piblikasyon",
    "argitarapen data",
    "dato de ĉeretigo",
    "تاريخ راه اندازى",
    "data publicării",
    "azán bíbló tɔn",
    "uverejnené dňa",
    "published on",
    "опубликовано",
    "опубліковано",
    "online seit",
    "تاريخ النشر",
    "在线出版物的日期",
    "公開された日付",
)

# par_auteur, info_les_auteurs_1 (without @les_auteurs@)
BY_LABELS = (
    "napísal(a)",
    "napsal(a)",
    "od autora",
    "بوسيله‌ى",
    "engatik",
    "egilea",
    "lurata",
    "על ידי",
    "przez",
    "yazan",
    "نوشته",
    "door",
    "gant",
    "gbɔn",
    "oleh",
    "sanm",
    "írta",
    "بقلم",
    "bởi",
    "của",
    "par",
    "per",
    "por",
    "von",
    "vum",
    "vun",
    "מאת",
    "ដោយ",
    "af",
    "av",
    "by",
    "da",
    "de",
    "di",
    "od",
    "pa",
    "wg",
    "èk",
    "от",
    "من",
    "မှ",
    "按照",
    "著者",
)

# info_ps, info_post_scriptum, info_post_scriptum_2
PS_LABELS = (
    "ပို့စခရစ် (ပရိုဂရမ်ဘာသာစကား)",
    "نوشتار پس از متن اصلى",
    "post scriptum",
    "post scríptum",
    "post-scriptum",
    "gen di ankò.",
    "post-escrich",
    "postscriptum",
    "pé do artigo",
    "постскриптум",
    "បញ្ជាក់(p.s)",
    "efterskrift",
    "gen di ankò",
    "goude-skrid",
    "បដ្ឋនាលិខិត",
    "koz-déryèr",
    "postscript",
    "postskribo",
    "פוסטסקריפט",
    "gbè ní ná",
    "postdata",
    "tái bút.",
    "စာကြွင်း",
    "tái bút",
    "útóírat",
    "rodapé",
    "الملحق",
    "ملاحظة",
    "p.-s.",
    "g.s.",
    "n.b.",
    "p.s.",
    "п.с.",
    "k.d",
    "not",
    "p.s",
    "ps.",
    "u.í",
    "נ.ב",
    "ps",
    "后记",
    "追伸",
)

# articles_auteur (a list of the author's other articles)
AUTHOR_ARTICLES_LABELS = (
    "artykuły napisane przez tego autora",
    "artículos de esta autora o autor",
    "pennadoù all ar skridaozer-mañ",
    "nyɔwlantɔ é lɔ sin wekpa lɛ̂",
    "qillqirin aka qillqatanakapa",
    "artikel-artikel penulis ini",
    "artikelen vun dësem auteur",
    "articles de cette autrice",
    "articole de acelaşi autor",
    "articoli di questo autore",
    "artikelen van deze auteur",
    "denne forfatters artikler",
    "អត្ថបទ របស់អ្នកនិពន្ធនេះ",
    "articles by this author",
    "articles d’aquest autor",
    "articles d’aqueth autor",
    "artikoloj de tiu aŭtoro",
    "article d’aquel autour",
    "articles de cet auteur",
    "articles de quel autor",
    "articles d’aquel autor",
    "artículos d’esti autor",
    "bài vở của tác giả này",
    "egile honen artikuluak",
    "ဤစာရေးသူ၏ ဆောင်းပါများ",
    "artikel dieses autors",
    "artìculi di st’autore",
    "bu yazarın makaleleri",
    "författarens artiklar",
    "مقاله‌هاى اين نويسنده",
    "bann zartik lotèr-la",
    "matérias deste autor",
    "články tohoto autora",
    "מאמרים של אותו המחבר",
    "artigos deste autor",
    "članci ovoga autora",
    "články tohto autora",
    "clanci ovog autora",
    "مقالات هذا المؤلف",
    "tout atik lotè a",
    "статии на автора",
    "e szerző cikkei",
    "статті автора",
    "статьи автора",
    "この著者の記事",
    "该作者的文章",
)
