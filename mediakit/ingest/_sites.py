"""Sites of pages: the registered domain of an address, read offline.

The registered domain (eTLD+1: "news.bbc.co.uk" -> "bbc.co.uk", "hosted.ap.org" ->
"ap.org") comes from the ICANN section of the Public Suffix List that the ``tld`` package
bundles; nothing is fetched.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def registered_domain(url: str | None) -> str | None:
    """eTLD+1 of a URL (or of a bare host name); None when it has no host.

    Examples
    --------
    >>> registered_domain("https://news.bbc.co.uk/2/hi/world.stm")
    'bbc.co.uk'
    >>> registered_domain("www.example.com") is None, registered_domain("not a url")
    (False, None)
    >>> registered_domain("http://[::1/story") is None
    True
    """
    text = (url or "").strip()
    if not text:
        return None
    try:
        host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    except ValueError:  # "http://[::1", a port out of range: no site to name
        return None
    host = host.lower().rstrip(".")
    if "." not in host or " " in host:
        return None
    from tld import get_fld

    try:
        return str(get_fld(host, fix_protocol=True, search_private=False))
    except Exception:  # an IP address or a suffix the list does not know
        return host.removeprefix("www.")
