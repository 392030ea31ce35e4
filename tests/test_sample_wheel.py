"""What a plain (non-editable) ``pip install`` gets: both packages, the site's data, a working demo.

The wheel is built offline from this checkout (``--no-build-isolation --no-index``) and unpacked
as pip would into site-packages; the unpacked copy is put first on ``sys.path`` of a child
Python, so nothing can come from ``src/`` or ``data/`` by accident.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlite_utils

from article_archive_sample import load_site

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "sample-site"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built the way ``pip wheel .`` builds it, but without the network."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "--quiet", "--wheel-dir", str(out), str(ROOT)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("article_archive-*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked(wheel: Path) -> Path:
    """The wheel's files laid out as in site-packages."""
    target = wheel.parent / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def _run(code: str, unpacked: Path, *, isolated: bool = False) -> dict:
    """Run ``code`` in a child Python that imports from ``unpacked`` first; its JSON answer.

    ``isolated`` also drops site-packages (``-S``): only the standard library and the wheel.
    """
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    flags = ["-S"] if isolated else []
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_wheel_holds_both_packages_and_every_sample_site_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data_files = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.is_file()}
    assert len(data_files) > 30
    missing = {f for f in data_files if f"article_archive_sample/site/{f}" not in names}
    assert missing == set()
    assert "article_archive_sample/server.py" in names
    assert "article_archive_sample/__main__.py" in names
    assert "article_archive/demo.py" in names
    # Only the one-file `python -m article_archive.sample` entry (it loads the site through demo).
    assert not [n for n in names if n.startswith("article_archive/sample/")]


def test_the_installed_sample_package_needs_only_the_standard_library(unpacked: Path) -> None:
    code = (
        "import json, sys, urllib.request\n"
        "import article_archive_sample as s\n"
        "with s.SampleSite(port=0) as site:\n"
        "    status = urllib.request.urlopen(site.base_url + 'robots.txt').status\n"
        "print(json.dumps({'file': s.__file__, 'site': str(s.default_site_dir()),\n"
        "    'published': len(s.load_site(s.default_site_dir()).published()),\n"
        "    'status': status, 'product': 'article_archive' in sys.modules}))\n"
    )
    answer = _run(code, unpacked, isolated=True)
    assert Path(answer["file"]).is_relative_to(unpacked)
    assert Path(answer["site"]) == unpacked / "article_archive_sample" / "site"
    assert answer["published"] == len(load_site(DATA).published())
    assert answer["status"] == 200
    assert answer["product"] is False


def test_the_demo_crawls_the_bundled_site_from_the_installed_wheel(
    unpacked: Path, tmp_path: Path
) -> None:
    db_path = tmp_path / "demo.db"
    code = (
        "import json, sys\nfrom pathlib import Path\n"
        "import article_archive.demo as demo\n"
        f"demo.run_demo(Path({str(db_path)!r}), serve=False, site_port=0, echo=lambda line: None)\n"
        "print(json.dumps({'demo': demo.__file__,\n"
        "    'sample': sys.modules['article_archive_sample'].__file__}))\n"
    )
    answer = _run(code, unpacked)
    assert Path(answer["demo"]).is_relative_to(unpacked)
    assert Path(answer["sample"]).is_relative_to(unpacked)
    archived = {row["spip_id"] for row in sqlite_utils.Database(db_path)["articles"].rows}
    assert archived == {a.id for a in load_site(DATA).published()}


def test_python_m_sample_answers_help(unpacked: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    done = subprocess.run(
        [sys.executable, "-S", "-m", "article_archive_sample", "--help"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m article_archive_sample")
    assert "site_dir" in done.stdout


def test_the_wheel_speaks_french_from_its_catalogue(wheel: Path, unpacked: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("fr", "en"):
        assert f"article_archive/web/locale/{lang}/LC_MESSAGES/messages.po" in names
    code = (
        "import json, article_archive.web.i18n as i; "
        "print(json.dumps([i.__file__, i.translations('fr').gettext('Other languages')]))"
    )
    where, said = _run(code, unpacked)
    assert where.startswith(str(unpacked)) and said == "Autres langues"
