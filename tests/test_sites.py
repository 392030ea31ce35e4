"""Site identity (article_archive.sites): a host name, and the site key the crawl keeps."""

from __future__ import annotations

from article_archive.sites import host_of, site_host, site_of


def test_host_of_is_the_lowered_host_name_or_nothing():
    assert host_of("HTTP://Www.Example.ORG:8080/a?b") == "www.example.org"
    assert host_of("https://example.org") == "example.org"
    assert host_of("/relative/path") == ""
    assert host_of("http://[::1") == ""  # malformed: no exception


def test_a_non_default_port_is_part_of_the_site():
    assert site_of("http://example.org/x") == "example.org"
    assert site_of("https://example.org:443/") == "example.org"
    assert site_of("http://example.org:80/") == "example.org"
    # http and https of one host on their own ports are one site (a move to https)
    assert site_of("https://example.org/") == site_of("http://example.org/")
    assert site_of("http://127.0.0.1:8080/spip.php?article1") == "127.0.0.1:8080"
    assert site_of("http://127.0.0.1:8081/") != site_of("http://127.0.0.1:8080/")
    assert site_of("http://example.org:443/") == "example.org:443"
    assert site_of("https://Example.org:8443") == "example.org:8443"
    # no guessed twin: www. is another site
    assert site_of("https://www.example.org/") != site_of("https://example.org/")
    assert site_of("http://example.org:notaport/") == ""


def test_site_host_gives_the_machine_politeness_is_kept_for():
    assert site_host("127.0.0.1:8080") == "127.0.0.1"
    assert site_host("example.org") == "example.org"
    assert site_host(site_of("http://localhost:9000/")) == host_of("http://localhost:9000/")
