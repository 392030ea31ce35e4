"""Network failures in plain words: what ``pages.error`` and ``frontier.last_error`` store.

httpx names its failures by class (``ConnectError: [Errno 111] Connection refused``); a person
reading ``status`` or a crawl summary wants a sentence: "connection refused".
"""

from __future__ import annotations

import httpx

#: Words of the operating system's or TLS library's message -> what we say.
_CONNECT_CAUSES = (
    ("connection refused", "connection refused"),
    ("name or service not known", "the host name could not be found"),
    ("nodename nor servname", "the host name could not be found"),
    ("temporary failure in name resolution", "the host name could not be found"),
    ("no address associated", "the host name could not be found"),
    ("getaddrinfo failed", "the host name could not be found"),
    ("no route to host", "no route to the host"),
    ("network is unreachable", "the network is unreachable"),
    ("certificate verify failed", "the site's TLS certificate could not be verified"),
    ("certificate", "the site's TLS certificate was refused"),
    ("ssl", "the TLS handshake failed"),
    ("connection reset", "the connection was reset"),
)


def _seconds(value: float | None) -> str:
    return f"{value:g} s" if value is not None else "the time limit"


def _timeout_words(exc: httpx.TimeoutException, timeout: httpx.Timeout | None) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection after {_seconds(timeout.connect if timeout else None)}"
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out waiting for a free connection"
    if isinstance(exc, httpx.WriteTimeout):
        return f"timed out sending the request after {_seconds(timeout.write if timeout else None)}"
    return f"timed out after {_seconds(timeout.read if timeout else None)}"


def _cause(text: str, default: str) -> str:
    lowered = text.lower()
    for words, plain in _CONNECT_CAUSES:
        if words in lowered:
            return plain
    return default


def plain_problem(exc: httpx.HTTPError, timeout: httpx.Timeout | None = None) -> str:
    """One sentence for a failed request, naming no exception class.

    ``timeout`` is the client's, so that a time-out says how long was waited.
    """
    if isinstance(exc, httpx.TimeoutException):
        return _timeout_words(exc, timeout)
    text = str(exc)
    if isinstance(exc, httpx.ConnectError):
        return _cause(text, "could not connect to the server")
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in text.lower() or "disconnected" in text.lower():
            return "the server closed the connection without answering"
        detail = f" ({text})" if text else ""
        return f"the server's answer broke the HTTP protocol{detail}"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return _cause(text, "the server closed the connection")
    if isinstance(exc, httpx.DecodingError):
        return "the answer's body could not be decompressed"
    if isinstance(exc, httpx.ProxyError):
        return "the proxy refused the request"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) address"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    return _cause(text, "the request failed") if text else "the request failed"
