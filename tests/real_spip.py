"""A real SPIP 4.4 on loopback: Debian's package run by PHP's built-in server, with SQLite.

`scripts/spip_dist.py` (run by `make test`) unpacks SPIP under .cache/spip/root. `RealSpip`
copies it into a temporary folder, installs it through its own installation wizard (the forms
a webmaster fills in), loads our sample site's articles into it (their SPIP shortcuts are what
an editor types, so SPIP's own typographer, notes and templates render them), and serves it with
"propres" URLs: `spip.php?articleN` answers 301 to a readable address, as on most SPIP sites.
Given a ``theme`` (a third-party theme's folder), the site is served with it as ``squelettes/``;
``use_theme`` swaps themes on the running site, each time from the same freshly loaded data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx

from article_archive_sample.site import Site
from servers import free_port

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / ".cache" / "spip" / "root"
HERE = Path(__file__).resolve().parent / "fixtures" / "real_spip"
ROUTER = str(HERE / "router.php")
# what a webmaster types into the installation wizard, step by step
WIZARD = [
    {"etape": "2", "chmod": "0777", "server_db": "sqlite3"},
    {"etape": "3", "server_db": "sqlite3", "choix_db": "new_spip", "table_new": "spip"},
    {
        "etape": "3b",
        "server_db": "sqlite3",
        "sel_db": "spip",
        "nom": "Webmestre",
        "email": "webmestre@example.org",
        "login": "webmestre",
        "pass": "un-mot-de-passe-assez-long",
        "pass_verif": "un-mot-de-passe-assez-long",
    },
]
SUB_HEADING = re.compile(r"\{\{\{\*\s*(.+?)\}\}\}")
NO_DATE = "0000-00-00 00:00:00"


def missing() -> str | None:
    """Why a real SPIP cannot run here, or None."""
    if shutil.which("php") is None:
        return "php is not installed (make test installs it: apt-get install php-cli …)"
    if not (DIST / "usr/share/spip/spip.php").exists():
        return "SPIP is not unpacked: run .venv/bin/python scripts/spip_dist.py"
    return None


class RealSpip:
    """A SPIP 4.4 site holding ``site``'s articles, served on a free loopback port."""

    def __init__(
        self, workdir: Path, site: Site, *, urls: str = "propres", theme: Path | None = None
    ):
        self.workdir = workdir
        self.theme = theme
        self.urls = urls  # SPIP's URL scheme: "propres" (readable) or "page" (spip.php?articleN)
        self.root = workdir / "root"
        self.site = site
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/"
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> RealSpip:
        problem = missing()
        if problem:
            raise RuntimeError(problem)
        self._copy_dist()
        self._start()
        self._install()
        self._load()
        shutil.copyfile(self._database, self.workdir / "loaded.sqlite")
        if self.theme is not None:
            self.use_theme(self.theme)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=10)

    @property
    def _database(self) -> Path:
        return self.root / "config" / "bases" / "spip.sqlite"

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Run ``query`` on the site's own database (an editor's change, done directly)."""
        with closing(sqlite3.connect(self._database)) as conn:
            rows = conn.execute(query, params).fetchall()
            conn.commit()
            return rows

    def use_theme(self, theme: Path | None) -> list[str]:
        """Serve the site with ``theme`` as its ``squelettes/`` (None: SPIP's own templates).

        The database goes back to what was loaded and SPIP's caches are emptied, so each theme
        starts from the same site. A theme that is a plugin does not get its ``PREFIX_options``
        and ``PREFIX_fonctions`` files loaded from ``squelettes/``: they are included from
        ``config/mes_options.php`` and ``squelettes/mes_fonctions.php``. Returns those files.
        """
        squelettes = self.root / "squelettes"
        shutil.rmtree(squelettes, ignore_errors=True)
        (self.root / "config" / "mes_options.php").unlink(missing_ok=True)
        # a new file, not the old one rewritten: a worker still busy with SPIP's jobs after its
        # last answer keeps the file it had open
        fresh = self._database.with_name("loaded.sqlite")
        shutil.copyfile(self.workdir / "loaded.sqlite", fresh)
        os.replace(fresh, self._database)
        for name in ("cache", "log"):
            shutil.rmtree(self.root / "tmp" / name, ignore_errors=True)
        (self.root / "tmp" / "meta_cache.php").unlink(missing_ok=True)
        if theme is None:
            return []
        folder = theme_root(theme)
        shutil.copytree(folder, squelettes, copy_function=shutil.copy)  # files dated now
        options, functions = plugin_files(folder)
        _include(self.root / "config" / "mes_options.php", [squelettes / f for f in options])
        if not (squelettes / "mes_fonctions.php").exists():
            _include(squelettes / "mes_fonctions.php", [squelettes / f for f in functions])
        return options + functions

    def edit_article(self, id_article: int, **fields: str) -> None:
        """Change an article as the back office would, and drop SPIP's page cache."""
        sets = ", ".join(f"{name} = ?" for name in fields)
        self.sql(
            f"UPDATE spip_articles SET {sets}, date_modif = datetime('now') WHERE id_article = ?",
            (*fields.values(), id_article),
        )
        shutil.rmtree(self.root / "tmp" / "cache", ignore_errors=True)

    def _copy_dist(self) -> None:
        """SPIP's files, with the package's symlinks to /var/lib and /etc made local folders."""
        shutil.copytree(DIST / "usr/share/spip", self.root, symlinks=True)
        for name in ("IMG", "local", "plugins", "sites", "themes", "tmp"):
            target = self.root / name
            if target.is_symlink():
                target.unlink()
            target.mkdir(exist_ok=True)
        for name in ("mes_options.php", "ecran_securite.php"):  # Debian's multi-site setup
            (self.root / "config" / name).unlink(missing_ok=True)
        libs = self.workdir / "php"
        shutil.copytree(DIST / "usr/share/php", libs)
        # the package's absolute paths, pointed at the copies (Symfony stays Debian's, installed)
        for path, old, new in [
            (self.root / "vendor/autoload.php", "/usr/share/php/Algo26", libs / "Algo26"),
            (self.root / "vendor/autoload.php", "/usr/share/php/SpipLeague", libs / "SpipLeague"),
            (
                libs / "Algo26/IdnaConvert/autoload.php",
                "/usr/share/php/Jakeasmith",
                libs / "Jakeasmith",
            ),
            (
                libs / "SpipLeague/Component/Kernel/InstallationDetector.php",
                "/usr/share/spip",
                self.root,
            ),
        ]:
            _rewrite(path, old, new)
        shutil.copy(HERE / "load_site.php", self.root / "load_site.php")

    def _start(self) -> None:
        with (self.workdir / "php.log").open("wb") as log:  # the child keeps its own copy
            self._process = subprocess.Popen(
                # OPcache checks a file's date at most every 2 s by default: a theme swapped in
                # would run the previous theme's PHP files of the same name until then.
                ["php", "-d", "opcache.revalidate_freq=0", "-S", f"127.0.0.1:{self.port}", ROUTER],
                cwd=self.root,
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers are stopped with it, as a group
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("php -S did not start")

    def _env(self) -> dict[str, str]:
        # SPIP asks itself for files while installing: one worker alone would wait forever.
        return {"SPIP_ROOT": str(self.root), "PATH": "/usr/bin:/bin", "PHP_CLI_SERVER_WORKERS": "4"}

    def _install(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            client.get("ecrire/?exec=install&etape=chmod")
            for form in WIZARD:
                empty = {"adresse_db": "", "login_db": "", "pass_db": ""}
                client.post("ecrire/?exec=install", data={"exec": "install", **empty, **form})
            client.get("ecrire/?exec=install&etape=4")
            client.post("ecrire/?exec=install", data={"exec": "install", "etape": "fin"})
        if not (self.root / "config" / "connect.php").exists():
            raise RuntimeError(f"SPIP's installation did not finish; see {self.workdir}/php.log")

    def _load(self) -> None:
        rows = site_rows(self.site, self.root / "IMG", self.base_url, self.urls)
        data = self.workdir / "site.json"
        data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        answer = httpx.get(self.base_url + "load_site.php", params={"file": str(data)}, timeout=60)
        (self.root / "load_site.php").unlink()
        if answer.text.strip() != "ok":
            raise RuntimeError(f"loading the articles failed: {answer.text[:500]}")


def theme_root(theme: Path) -> Path:
    """The folder of ``theme`` holding its templates (some nest it: ``plugins/x``, ``eva_4``)."""
    pages = ("article.html", "sommaire.html", "body.html")
    found = [p.parent for name in pages for p in theme.rglob(name)]
    if not found:
        return theme
    return min(found, key=lambda folder: (len(folder.parts), str(folder)))


def plugin_files(folder: Path) -> tuple[list[str], list[str]]:
    """The options and functions files a plugin declares (by prefix, or named in plugin.xml)."""
    paquet, legacy = folder / "paquet.xml", folder / "plugin.xml"
    if paquet.exists():
        match = re.search(r'<paquet\b[^>]*\bprefix="([^"]+)"', paquet.read_text(errors="replace"))
        prefix = match.group(1).lower() if match else ""
        options = [f"{prefix}_options.php"] if prefix else []
        functions = [f"{prefix}_fonctions.php"] if prefix else []
    elif legacy.exists():
        text = legacy.read_text(errors="replace")
        options = re.findall(r"<options>\s*(.*?)\s*</options>", text, re.S)
        functions = re.findall(r"<fonctions>\s*(.*?)\s*</fonctions>", text, re.S)
    else:
        return [], []
    return (
        [f for f in options if (folder / f).is_file()],
        [f for f in functions if (folder / f).is_file()],
    )


def _include(php: Path, files: list[Path]) -> None:
    if files:
        lines = "".join(f"include_once {json.dumps(str(f))};\n" for f in files)
        php.write_text("<?php\n" + lines, encoding="utf-8")


def site_rows(site: Site, img_dir: Path, base_url: str, urls: str) -> dict[str, Any]:
    """The sample site as rows of SPIP's tables (and its images copied into ``img_dir``).

    Author ids move up by one: SPIP's installation made the webmaster author 1. Sub-headings,
    which SPIP's shortcuts lack (``{{{* …}}}`` is the Couteau Suisse's), are typed as the HTML
    editors use for them.
    """
    rows: dict[str, Any] = {
        "meta": {
            "type_urls": urls,
            "nom_site": site.name,
            "slogan_site": site.slogan,
            "adresse_site": base_url.rstrip("/"),
            "langues_multilingue": "fr,en",
            "gerer_trad": "oui",
            "articles_redac": "oui",
        },
        "rubriques": [
            {
                "id_rubrique": r.id,
                "id_parent": r.parent,
                "titre": r.title,
                "descriptif": r.descriptif,
                "lang": r.lang,
                "langue_choisie": "oui",
                "statut": "new",
            }
            for r in site.rubriques.values()
        ],
        "auteurs": [
            {"id_auteur": a.id + 1, "nom": a.name, "bio": a.bio, "statut": "1comite"}
            for a in site.authors.values()
        ],
        "documents": [_document(site, d, img_dir) for d in site.documents.values()],
        "articles": [_article(site, a) for a in site.articles.values()],
        "forum": [
            {
                "id_forum": m.id,
                "id_objet": m.article,
                "objet": "article",
                "id_parent": m.parent,
                "id_thread": _thread(msgs, m.id),
                "date_heure": _when(m.date),
                "date_thread": _when(m.date),
                "titre": m.title,
                "texte": m.text,
                "auteur": m.author,
                "url_site": m.url,
                "statut": "publie",
            }
            for msgs in site.forum.values()
            for m in msgs
        ],
    }
    groups = {k.group or "Mots": 0 for k in site.keywords.values()}
    for number, name in enumerate(groups, start=1):
        groups[name] = number
    rows["groupes_mots"] = [
        {"id_groupe": number, "titre": name, "tables_liees": "articles", "unseul": "non"}
        for name, number in groups.items()
    ]
    rows["mots"] = [
        {"id_mot": k.id, "titre": k.title, "id_groupe": groups[k.group or "Mots"], "type": k.group}
        for k in site.keywords.values()
    ]
    return rows


def _article(site: Site, art: Any) -> dict[str, Any]:
    shortcuts = art.chapo + art.texte + art.ps
    documents = sorted({int(n) for n in re.findall(r"<(?:img|doc|emb)(\d+)", shortcuts)})
    group = art.translation_of or (
        art.id if any(o.translation_of == art.id for o in site.articles.values()) else 0
    )
    return {
        "id_article": art.id,
        "id_rubrique": art.rubrique,
        "titre": art.title,
        "surtitre": art.surtitle,
        "soustitre": art.subtitle,
        "descriptif": art.descriptif,
        "chapo": _typed(art.chapo),
        "texte": _typed(art.texte),
        "ps": _typed(art.ps),
        "date": _when(art.date),
        "date_redac": art.date_redac.strftime("%Y-%m-%d 00:00:00") if art.date_redac else NO_DATE,
        "date_modif": _when(art.date_modif or art.date),
        "maj": _when(art.date_modif or art.date),
        "statut": art.status,
        "lang": art.lang,
        "langue_choisie": "oui",
        "id_trad": group,
        "accepter_forum": "pos",
        "_liens": {
            "auteurs": [i + 1 for i in art.authors],
            "mots": art.keywords,
            "documents": documents,
        },
    }


def _document(site: Site, doc: Any, img_dir: Path) -> dict[str, Any]:
    source = site.root / doc.file
    ext = source.suffix.lstrip(".").lower().replace("jpeg", "jpg")
    target = img_dir / ext / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return {
        "id_document": doc.id,
        "extension": ext,
        "titre": doc.title,
        "descriptif": doc.descriptif,
        "credits": doc.credits,
        "fichier": f"{ext}/{source.name}",
        "taille": target.stat().st_size,
        "largeur": doc.width,
        "hauteur": doc.height,
        "media": "image",
        "mode": "image",
        "distant": "non",
        "statut": "publie",
        "date": "2020-01-01 00:00:00",
        "date_publication": "2020-01-01 00:00:00",
    }


def _typed(shortcuts: str) -> str:
    return SUB_HEADING.sub(lambda m: f'<h3 class="spip">{m.group(1)}</h3>', shortcuts)


def _thread(messages: list[Any], id_forum: int) -> int:
    """The first message of the thread ``id_forum`` belongs to."""
    parents = {m.id: m.parent for m in messages}
    while parents.get(id_forum):
        id_forum = parents[id_forum]
    return id_forum


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _rewrite(path: Path, old: str, new: Path | str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, str(new)), encoding="utf-8")
