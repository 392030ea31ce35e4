"""scripts/spip_dist.py finds the Debian archive in apt's configuration, never a written host."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "spip_dist.py"


@pytest.fixture(scope="module")
def spip_dist():
    spec = importlib.util.spec_from_file_location("spip_dist", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spip_dist"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["spip_dist"]


def target(uri: str, **fields: str) -> str:
    lines = ["MetaKey: main/binary-amd64/Packages", f"Repo-URI: {uri}", "Identifier: Packages"]
    return "\n".join(lines + [f"{key}: {value}" for key, value in fields.items()])


def test_the_debian_labelled_archive_wins(spip_dist):
    listing = "\n\n".join(
        [
            target("https://apt.vendor.example/repo/", Label="Vendor", Origin="Vendor"),
            target("http://mirror.example/debian-security/", Label="Debian-Security"),
            target("http://mirror.example/debian/", Label="Debian", Origin="Debian"),
            target("http://other.example/debian/", Label="Debian", Origin="Debian"),
        ]
    )
    assert spip_dist.archive_in(listing) == "http://mirror.example/debian/"


def test_without_release_files_the_first_http_archive_is_taken(spip_dist):
    listing = "\n\n".join(
        [
            target("cdrom://[Debian 12]/"),
            target("http://mirror.example/debian"),
            target("http://mirror.example/debian-security/"),
        ]
    )
    assert spip_dist.archive_in(listing) == "http://mirror.example/debian/"


def test_no_debian_archive_is_none(spip_dist):
    listing = target("https://apt.vendor.example/repo/", Label="Vendor") + "\n\n"
    assert spip_dist.archive_in(listing) is None
    assert spip_dist.archive_in("") is None


def test_this_machines_apt_names_an_archive(spip_dist):
    no_apt = subprocess.run(["sh", "-c", "command -v apt-get"], capture_output=True).returncode
    if no_apt and not os.environ.get("CI"):  # CI's machine is Debian's: there it must work
        pytest.skip("no apt on this machine")
    archive = spip_dist.debian_archive()
    assert archive.startswith(("http://", "https://")) and archive.endswith("/")


def test_the_script_writes_no_host_name():
    text = SCRIPT.read_text(encoding="utf-8")
    assert "debian.org" not in text
    assert "MIRROR" not in text
