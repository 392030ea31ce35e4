"""Fetch SPIP 4.4 from Debian for the real-SPIP tests, and unpack it under .cache/spip/.

The tests in tests/test_real_spip.py run SPIP itself (PHP's built-in server, SQLite), so that
the crawler and the extractor meet pages a real SPIP 4 renders, not only our sample site. SPIP
comes as Debian's own package (trixie's `spip`, plus two small PHP libraries bookworm lacks):
a package registry, verified by SHA-256. When trixie has moved on to a newer point release, the
current file and its checksum are read from the distribution's package index instead.

The Debian archive is the one this machine's apt is configured with (`apt-get indextargets`
lists its index addresses): no host name is written here, so a machine behind its own mirror
uses that mirror.

Run: .venv/bin/python scripts/spip_dist.py   (idempotent; `make test` runs it)
"""

from __future__ import annotations

import hashlib
import lzma
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

INDEX = "dists/trixie/main/binary-all/Packages.xz"
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "spip"

# package name → (pool path, SHA-256) as known when this was written
PINNED = {
    "spip": (
        "pool/main/s/spip/spip_4.4.21+dfsg-0+deb13u1_all.deb",
        "2ee300e383f8c5b8681b01e9fe8c1b94a497d9373605f0bc9c2097ea294979c9",
    ),
    "php-algo26-idna-convert": (
        "pool/main/p/php-algo26-idna-convert/php-algo26-idna-convert_3.2.0-1_all.deb",
        "5b0308271b6d00cb3a32155fa06abe60376734068304364f3e217d233f41608b",
    ),
    "php-jakeasmith-http-build-url": (
        "pool/main/p/php-jakeasmith-http-build-url/php-jakeasmith-http-build-url_1.0.1-4_all.deb",
        "d33217c71c37b1051925d4a01369a250817f4794130b46e9013a09a0189c3f27",
    ),
}


def deb822(text: str) -> list[dict[str, str]]:
    """The stanzas of a deb822 text (apt's listings, a Packages index) as dicts, one-line fields."""
    return [
        dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and line[0] != " ")
        for stanza in text.split("\n\n")
        if stanza.strip()
    ]


def debian_archive() -> str:
    """The address of the Debian archive in this machine's apt configuration, ending in ``/``."""
    try:
        listing = subprocess.run(
            ["apt-get", "indextargets", "Identifier: Packages"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"cannot read apt's configuration (apt-get indextargets): {exc}") from exc
    archive = archive_in(listing)
    if archive is None:
        raise SystemExit("apt is configured with no http(s) Debian archive: add one to its sources")
    return archive


def archive_in(listing: str) -> str | None:
    """The Debian archive among the package indexes of an ``apt-get indextargets`` listing.

    The first whose release file says ``Label: Debian`` (not Debian-Security, not a third-party
    archive); before any ``apt-get update`` there is no release file to say so, and the first
    http(s) archive without a label is taken.
    """
    labelled, unlabelled = [], []
    for target in deb822(listing):
        uri = target.get("Repo-URI", "")
        if not uri.startswith(("http://", "https://")):
            continue
        if target.get("Label") == "Debian":
            labelled.append(uri)
        elif "Label" not in target:
            unlabelled.append(uri)
    for uri in labelled + unlabelled:
        return uri if uri.endswith("/") else uri + "/"
    return None


def download(url: str, attempts: int = 4) -> bytes:
    """The body at ``url``, tried again after a network error (an HTTP error is final)."""
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                return response.read()
        except urllib.error.HTTPError:
            raise
        except OSError as error:  # URLError, timeouts, resets
            if attempt == attempts:
                raise SystemExit(f"cannot download {url}: {error}") from error
            print(f"{url}: {error}; trying again", file=sys.stderr)
            time.sleep(2**attempt)
    raise AssertionError("unreachable")


def index_entries(archive: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Pool path and SHA-256 of each package in ``names``, from trixie's package index."""
    found: dict[str, tuple[str, str]] = {}
    for fields in deb822(lzma.decompress(download(archive + INDEX)).decode("utf-8")):
        if fields.get("Package") in names:
            found[fields["Package"]] = (fields["Filename"], fields["SHA256"])
    missing = names - found.keys()
    if missing:
        raise SystemExit(f"not in Debian trixie's index: {', '.join(sorted(missing))}")
    return found


def fetch_package(name: str, pool_path: str, sha256: str) -> Path:
    """The verified .deb of ``name`` in the cache, downloaded when missing."""
    target = CACHE / "debs" / Path(pool_path).name
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
        return target
    archive = debian_archive()
    try:
        data = download(archive + pool_path)
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        pool_path, sha256 = index_entries(archive, {name})[name]
        target = target.with_name(Path(pool_path).name)
        data = download(archive + pool_path)
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{pool_path}: SHA-256 {digest}, expected {sha256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def main() -> int:
    """Unpack the three packages into .cache/spip/root (done once; a marker says which)."""
    debs = [fetch_package(name, *pinned) for name, pinned in PINNED.items()]
    marker = CACHE / "root" / ".unpacked"
    wanted = "\n".join(sorted(d.name for d in debs))
    if marker.exists() and marker.read_text() == wanted:
        print(f"SPIP ready in {CACHE / 'root'}")
        return 0
    shutil.rmtree(CACHE / "root", ignore_errors=True)
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", str(deb), str(CACHE / "root")], check=True)
    marker.write_text(wanted)
    print(f"SPIP unpacked in {CACHE / 'root'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
