"""Whether a page comes from SPIP: its headers, then SPIP's fingerprints in the markup.

One answer for the whole pipeline: the crawler asks it of raw bytes (a home page: is the id
walk worth trying?), the extractor of the decoded text (which extractor reads the page?).
"""

from __future__ import annotations

import re

# What SPIP writes and other systems do not (see ``shared/spip-markup.md``): the generator
# meta (``content="SPIP 4.2 …"``), links to ``spip.php``, template folders, the typographer's
# and the notes' classes (``spip_in``, ``spip_out``, ``spip_note``, ``spip_logo``), crayons
# title blocks, and images or scripts cached under ``local/cache-…``. Found in the page's
# first lines on nearly every SPIP page (the head), so the search stops early there.
_FINGERPRINTS = (
    r"content\s*=\s*[\"']?\s*spip"
    r"|spip\.php"
    r"|squelettes[\w-]*/"
    r"|spip_(?:note|in|out|logo)"
    r"|crayon [a-z]+-titre-\d"
    r"|local/cache-"
)
_IN_TEXT = re.compile(_FINGERPRINTS, re.IGNORECASE)
_IN_BYTES = re.compile(_FINGERPRINTS.encode("ascii"), re.IGNORECASE)


def _spip_headers(headers: dict[str, str] | None) -> bool:
    """Whether the HTTP headers say SPIP (``Composed-By: SPIP …``, ``X-Spip-Cache``)."""
    for name, value in (headers or {}).items():
        lowered = name.lower()
        if lowered == "x-spip-cache" or (lowered == "composed-by" and "spip" in value.lower()):
            return True
    return False


def is_spip(markup: str | bytes, headers: dict[str, str] | None = None) -> bool:
    """Whether a page (its text or its raw bytes) comes from a SPIP site.

    Bytes are searched as they are: every fingerprint is ASCII, which every charset but
    UTF-16 and UTF-32 (next to unknown on the web) writes as ASCII.
    """
    if _spip_headers(headers):
        return True
    if isinstance(markup, str):
        return _IN_TEXT.search(markup) is not None
    return _IN_BYTES.search(markup) is not None
