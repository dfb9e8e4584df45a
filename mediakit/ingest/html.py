"""One saved web page -> one article record.

:func:`parse_html` turns the HTML of a news page (as ``str`` or raw ``bytes``) into
the fields of an article frame row: headline, standfirst, body text, bylines,
publication date, language and canonical URL, plus ``status`` and ``reason`` saying
whether the page could be used. It never touches the network and never raises on bad
pages: empty, binary, oversized or article-less input gives a record whose ``status``
and ``reason`` say what was wrong.

Three engines extract the body:

- ``"trafilatura"``: :func:`trafilatura.bare_extraction` with its default settings.
- ``"newspaper"``: newspaper4k's ``Article`` fed the saved HTML, offline.
- ``"auto"`` (default): trafilatura's precision and recall passes and, when they
  disagree, newspaper4k, each cleaned of the page furniture extractors often keep around
  the story (a repeated headline, datelines, "Related: ..." teasers, and at the end
  share, follow and newsletter prompts, tag lists, credits and copyright notices), then
  the candidate a learned score prefers (``_combine.py``; the precision pass is never
  kept when it is longer than the recall pass). On the article-extraction benchmark
  (``benchmarks/extraction.py``) it scores above each library alone, cross-validated
  over sites.

Authors are the people the page's visible byline names, as printed (``_bylines.py``);
the outlet is the site name the page gives, else the registered domain of its address.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import pandas as pd

from mediakit.ingest._bylines import page_authors
from mediakit.ingest._combine import choose, wants_newspaper
from mediakit.ingest._decode import decode, markup_charset
from mediakit.ingest._furniture import clean_edges, norm, nwords
from mediakit.ingest._sites import registered_domain

__all__ = ["parse_html", "RECORD_KEYS", "decode_html"]

Engine = Literal["auto", "trafilatura", "newspaper"]
ENGINES: tuple[str, ...] = ("auto", "trafilatura", "newspaper")

#: Keys of the record :func:`parse_html` returns, always all present.
RECORD_KEYS: tuple[str, ...] = (
    "title",
    "description",
    "text",
    "authors",
    "published",
    "date_source",
    "language",
    "url",
    "outlet",
    "extractor",
    "status",
    "reason",
)

#: Default limit on the size of a page, in characters, after scripts and styles are cut.
MAX_SIZE = 8_000_000
#: Pages with more elements are refused: news pages have a few thousand (at most 1,600 on
#: the extraction benchmark); extraction time grows faster than linearly with the count.
MAX_ELEMENTS = 25_000

# a body shorter than this (in words) is not an article
_MIN_WORDS = 10
# ... and has at least one paragraph this long (a page of short lines is a menu)
_MIN_PROSE = 8
_WORD = re.compile(r"\w+")
_OFFLINE_URL = "http://localhost/"


# --------------------------------------------------------------------------------------
# bytes -> str
# --------------------------------------------------------------------------------------


def decode_html(data: bytes, *, charset: str | None = None) -> tuple[str | None, str]:
    """Decode the bytes of a page; return ``(text, how)`` or ``(None, problem)``.

    The bytes are decoded as text files are (:func:`mediakit.ingest.load.decode_bytes`),
    after a byte-order mark the declared charsets first: ``charset`` (the one an HTTP
    ``Content-Type`` header gives), then the page's ``<meta charset>`` (or XML)
    declaration. A declared label that names no encoding of the web ("base64", "hex",
    "rot13", ...) is ignored. ``how`` names the encoding used, or says why the bytes are
    not text.

    Examples
    --------
    >>> decode_html('<meta charset="windows-1252"><p>caf\\u00e9</p>'.encode("cp1252"))
    ('<meta charset="windows-1252"><p>café</p>', 'cp1252 (meta)')
    >>> decode_html("<p>caf\\u00e9</p>".encode("cp1252"), charset="base64")
    ('<p>café</p>', 'cp1252')
    >>> decode_html(b"%PDF-1.7 ...")
    (None, 'binary: the bytes are a PDF document, not text')
    """
    declared = [(charset, "http"), (markup_charset(data), "meta")]
    try:
        return decode(data, declared=[(label, where) for label, where in declared if label])
    except ValueError as problem:
        return None, str(problem)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 50)


# --------------------------------------------------------------------------------------
# size
# --------------------------------------------------------------------------------------

# where an element that carries no article text opens (scripts, styles, inline SVG...),
# or a comment; each is cut up to its end, or to the end of the page when unclosed
_HEAVY_OPEN = re.compile(r"<(script|style|svg|noscript|template)(?=[\s/>])|<!--", re.IGNORECASE)
_HEAVY_CLOSE = {
    name: re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE)
    for name in ("script", "style", "svg", "noscript", "template")
}
_DATA_URI = re.compile(r"data:[\w/+.\-]+;base64,[\w+/=]+")


def _shrink(html: str) -> str:
    """Cut scripts, styles, inline SVG, comments and base64 data URIs, which carry no
    article text.

    One pass from left to right: every search starts where the last cut ended, so the
    time is linear in the page's length however many elements are left unclosed (a
    backtracking pattern rescans to the end of the page for each).
    """
    kept: list[str] = []
    pos, end = 0, len(html)
    while pos < end:
        opening = _HEAVY_OPEN.search(html, pos)
        if opening is None:
            kept.append(html[pos:])
            break
        kept.append(html[pos : opening.start()])
        name = opening.group(1)
        if name is None:  # a comment
            close = html.find("-->", opening.end())
            pos = end if close < 0 else close + 3
            continue
        name = name.lower()
        tag_end = html.find(">", opening.end())
        if tag_end < 0:
            break
        if name == "svg" and html[tag_end - 1] == "/":  # <svg ... />: no content
            pos = tag_end + 1
            continue
        closing = _HEAVY_CLOSE[name].search(html, tag_end + 1)
        if closing is None:
            break
        close = html.find(">", closing.end())
        pos = end if close < 0 else close + 1
    return _DATA_URI.sub("", "".join(kept))


# --------------------------------------------------------------------------------------
# engines
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    from mediakit import __version__

    out = {"mediakit": __version__}
    for name in ("trafilatura", "newspaper4k"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover
            out[name] = "?"
    return out


def _paragraphs(text: str | None) -> list[str]:
    """Split an extractor's output into clean paragraphs."""
    if not text:
        return []
    out = []
    for line in re.split(r"\n+", text):
        line = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        if line:
            out.append(line)
    return out


def _words(paragraphs: list[str]) -> int:
    return sum(len(_WORD.findall(p)) for p in paragraphs)


def _trafilatura(tree: Any, url: str | None, **options: Any) -> list[str]:
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_images=False,
            include_links=False,
            with_metadata=False,
            **options,
        )
    except Exception:  # a library bug on one page gives no text, not a crash
        return []
    if doc is None:
        return []
    text = doc.text if not isinstance(doc, dict) else doc.get("text")
    return _paragraphs(text)


def _newspaper_body(article: Any) -> str:
    """The body text newspaper4k's ``Article.parse()`` gives, computed by its body steps only.

    ``parse()`` also reads authors, dates, images and videos, which take about half its
    time and which the "auto" engine does not use. The steps kept are those the body
    depends on, in the same order: the title (the formatter drops a first paragraph that
    repeats it), the metadata (the page's declared language chooses the stop words that
    score the nodes), the best node, its cleaning and its formatting. The skipped steps
    do not change the document (the byline reader works on copies).
    """
    from newspaper import parsers
    from newspaper.cleaners import DocumentCleaner
    from newspaper.languages import get_available_languages
    from newspaper.outputformatters import OutputFormatter

    doc = parsers.fromstring(article.html)
    if doc is None:
        return ""
    config, extractor = article.config, article.extractor
    title = extractor.get_title(doc)
    metadata = extractor.get_metadata(article.url, doc)
    if metadata["language"] in get_available_languages() and config.use_meta_language:
        config.language = metadata["language"]
    if extractor.calculate_best_node(doc) is None:
        return ""
    node = DocumentCleaner(config).clean(extractor.top_node_complemented)
    text, _ = OutputFormatter(config).get_formatted(node, title)
    return str(text or "")


def _newspaper(html: str, url: str | None, *, body_only: bool = False) -> dict[str, Any]:
    """Run newspaper4k offline on the saved HTML; empty dict when it fails.

    With ``body_only`` only the body paragraphs are computed (see :func:`_newspaper_body`).
    """
    import warnings

    with warnings.catch_warnings():
        # newspaper4k warns on import that its optional NLP extras are missing; they are
        # not used here
        warnings.simplefilter("ignore")
        from newspaper import Article

    def run(language: str | None) -> Any:
        options: dict[str, Any] = {
            "fetch_images": False,
            "memorize_articles": False,
            "follow_meta_refresh": False,
            "http_success_only": False,
        }
        if language:
            options["language"] = language
        article = Article(url or _OFFLINE_URL, **options)
        article.download(input_html=html, ignore_read_more=True)
        if body_only:
            return _newspaper_body(article)
        article.parse()
        return article

    try:
        article = run(None)
    except ImportError:
        # languages such as Korean or Chinese need optional tokenisers: fall back on the
        # language-neutral settings instead of giving up on the page
        try:
            article = run("en")
        except Exception:
            return {}
    except Exception:
        return {}
    if body_only:
        return {"paragraphs": _paragraphs(article)}
    return {
        "paragraphs": _paragraphs(article.text),
        "title": article.title or None,
        "description": article.meta_description or None,
        "authors": "; ".join(article.authors) or None,
        "url": article.canonical_link or None,
        "language": article.meta_lang or None,
    }


# --------------------------------------------------------------------------------------
# auto: choose and clean
# --------------------------------------------------------------------------------------


def _passes(tree: Any, url: str | None, title: str | None) -> dict[str, list[str]]:
    """trafilatura's precision and recall passes, each cleaned of page furniture."""
    found = {
        "precision": _trafilatura(tree, url, favor_precision=True),
        "recall": _trafilatura(tree, url, favor_recall=True),
    }
    return {name: clean_edges(paragraphs, title) for name, paragraphs in found.items()}


def _newspaper_candidate(html: str, url: str | None, title: str | None) -> list[str]:
    """newspaper4k's body, cleaned of page furniture."""
    return clean_edges(_newspaper(html, url, body_only=True).get("paragraphs", []), title)


def _candidates(tree: Any, html: str, url: str | None, title: str | None) -> dict[str, list[str]]:
    """All the bodies the "auto" engine may choose from, each cleaned of page furniture."""
    return _passes(tree, url, title) | {"newspaper": _newspaper_candidate(html, url, title)}


def _auto(tree: Any, html: str, url: str | None, title: str | None) -> tuple[list[str], bool]:
    """Body paragraphs chosen among the candidates; True if newspaper4k's were kept.

    newspaper4k runs only when trafilatura's two passes disagree (:func:`wants_newspaper`).
    """
    candidates = _passes(tree, url, title)
    usable = {name: _not_an_article(p) is None for name, p in candidates.items()}
    if wants_newspaper(candidates, usable):
        candidates["newspaper"] = _newspaper_candidate(html, url, title)
        usable["newspaper"] = _not_an_article(candidates["newspaper"]) is None
    chosen = choose(candidates, usable)
    return candidates[chosen], chosen == "newspaper"


# --------------------------------------------------------------------------------------
# metadata
# --------------------------------------------------------------------------------------


def _metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Title, description, authors, canonical URL and outlet from trafilatura's readers."""
    from trafilatura import metadata as tm

    out: dict[str, Any] = {
        "title": None,
        "description": None,
        "authors": None,
        "url": None,
        "outlet": None,
    }
    try:
        meta = tm.examine_meta(tree)
        if meta.author and " " not in meta.author:
            meta.author = None
        try:
            meta = tm.extract_meta_json(tree, meta)
        except Exception:  # malformed JSON-LD
            pass
        if not meta.title:
            meta.title = tm.extract_title(tree)
        if not meta.author:
            meta.author = tm.extract_author(tree)
        if not meta.url:
            meta.url = tm.extract_url(tree, url)
    except Exception:
        return out
    out["outlet"] = _outlet_name(meta.sitename)
    out["title"] = _page_title(tree, meta.title, meta.sitename, url, out["outlet"])
    out["description"] = (meta.description or "").strip() or None
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    out["authors"] = page_authors(
        meta.author, tree, site_names=(meta.sitename, out["outlet"], host.split(".")[0])
    )
    canonical = [str(h).strip() for h in tree.xpath("//link[@rel='canonical']/@href")]
    joined = _join_url(url, canonical[0]) if canonical and canonical[0] else None
    out["url"] = joined or meta.url or None
    if out["outlet"] is None:
        # no site name on the page: the site is its registered domain
        out["outlet"] = registered_domain(url) or registered_domain(out["url"])
    return out


def _site_names(tree: Any, sitename: str | None, url: str | None, outlet: str | None) -> set[str]:
    """Keys (see :func:`norm`, spaces removed) of what names the site itself on a page:
    its site name, its host's labels, and the text of the links to its home page."""
    names = {norm(sitename or "").replace(" ", ""), norm(outlet or "").replace(" ", "")}
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    names |= {part for part in host.split(".") if len(part) > 3}
    for link in tree.xpath("//a[@href='/' or @href='./' or @href='index.html']")[:5]:
        names.add(norm(link.text_content()).replace(" ", ""))
    names.discard("")
    return names


def _page_title(
    tree: Any, found: str | None, sitename: str | None, url: str | None, outlet: str | None
) -> str | None:
    """The headline: the metadata's title unless it is the bare site name, else the first
    of og:title, <title> and the <h1>s that is not."""
    names = _site_names(tree, sitename, url, outlet)
    candidates = [found]
    candidates += tree.xpath("//meta[@property='og:title']/@content")[:1]
    candidates += tree.xpath("//title/text()")[:1]
    candidates += [h.text_content() for h in tree.xpath("//h1")[:3]]
    for candidate in candidates:
        title = _clean_title(str(candidate or ""), sitename, url)
        if title and norm(title).replace(" ", "") not in names:
            return title
    return _clean_title(found, sitename, url)


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»/]+\s+")


def _outlet_name(sitename: str | None) -> str | None:
    """The site name a page gives (og:site_name, JSON-LD publisher...), if it names an outlet.

    Pages also put a social-media URL, a copyright line or a handle there: those give
    None. A name with a tagline keeps its first part: "SW1.News - Nachrichten der
    Region" -> "SW1.News".
    """
    name = re.sub(r"\s+", " ", sitename or "").strip()
    if (
        not name
        or name.startswith("@")
        or "://" in name
        or "©" in name
        or "copyright" in name.casefold()
    ):
        return None
    name = _TITLE_SEPARATOR.split(name)[0].strip()
    return name if 1 < len(name) <= 80 else None


def _clean_title(title: str | None, sitename: str | None, url: str | None) -> str | None:
    """Strip whitespace and a trailing (or leading) site name: "Headline | Site" -> "Headline"."""
    title = re.sub(r"\s+", " ", title or "").strip()
    if not title:
        return None
    site = re.sub(r"\s+", " ", sitename or "").strip().lstrip("@")
    if len(site) > 3 and len(title) > len(site) + 10:
        # the whole site name (which may itself hold a separator) at either end
        lowered, lsite = title.casefold(), site.casefold()
        edge = r"\s*[|\-–—:·•»/]+\s*"
        if lowered.endswith(lsite) and re.search(edge + "$", title[: -len(site)]):
            return re.sub(edge + "$", "", title[: -len(site)])
        if lowered.startswith(lsite) and re.match(edge, title[len(site) :]):
            return re.sub("^" + edge, "", title[len(site) :])
    names = {norm(sitename or "").replace(" ", "")}
    host = urlsplit(url or "").hostname or ""
    names |= {part for part in host.split(".") if len(part) > 3}
    names.add(norm(host.removeprefix("www.")).replace(" ", ""))
    names.discard("")
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title

    def is_site(part: str) -> bool:
        key = norm(part).replace(" ", "")
        return len(key) > 3 and any(
            key == n or key in n or (n in key and len(key) <= len(n) + 8) for n in names
        )

    if is_site(parts[-1]):
        kept = title[: title.rfind(parts[-1])]
    elif is_site(parts[0]):
        kept = title[len(parts[0]) :]
    else:
        return title
    kept = re.sub(r"^[\s|\-–—:·•»/]+|[\s|\-–—:·•»/]+$", "", kept)
    return kept or title


def _html_lang(tree: Any) -> str | None:
    found = tree.xpath(
        "/html/@lang | /html/@xml:lang"
        " | //meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')='content-language']"
        "/@content"
    )
    for value in found[:3]:
        code = str(value).strip().lower().replace("_", "-").split("-")[0]
        if re.fullmatch(r"[a-z]{2}", code):
            return code
    return None


def _language(text: str | None, tree: Any) -> str | None:
    sample = text[:600] if text else ""
    if len(_WORD.findall(sample)) >= 20:
        try:
            import py3langid

            return str(py3langid.classify(sample)[0])
        except Exception:
            pass
    return _html_lang(tree) if tree is not None else None


def _canonical(found: str | None, given: str | None) -> str | None:
    return (_join_url(given, found) if found else None) or given


def _usable_url(url: str | None) -> str | None:
    """``url`` if it parses (brackets, port), else None: a malformed address given with a
    page must not stop its parsing, and is not used to resolve links or read dates."""
    if url is None:
        return None
    try:
        urlsplit(url).port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return None
    return url


def _join_url(base: str | None, link: str) -> str | None:
    """``link`` made absolute against ``base``; None unless it is a well-formed http(s) URL
    (a page may name any string as its canonical link)."""
    try:
        absolute = urljoin(base or "", link)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return None
    return absolute if parts.scheme in {"http", "https"} and parts.netloc else None


def _date(html: str, url: str | None, tree: Any) -> tuple[pd.Timestamp | None, str]:
    try:
        from mediakit.ingest.dates import extract_date
    except ImportError:  # pragma: no cover
        return None, "missing"
    try:
        return extract_date(html, url=url, tree=tree)
    except Exception:  # a date that cannot be read is a missing date
        return None, "missing"


# --------------------------------------------------------------------------------------
# the public function
# --------------------------------------------------------------------------------------


def _load(html: str) -> Any:
    """Parse with trafilatura's loader; wrap fragments and plain text it refuses."""
    from trafilatura.utils import load_html

    for markup in (html, f"<html><body>{html}</body></html>"):
        try:
            tree = load_html(markup)
        except Exception:
            tree = None
        if tree is not None:
            return tree
    return None


def _not_an_article(paragraphs: list[str]) -> str | None:
    """Why these paragraphs are no article body, or None if they are one."""
    if not paragraphs:
        return "no_text: no article body found"
    if _words(paragraphs) < _MIN_WORDS:
        return f"no_text: the body found has fewer than {_MIN_WORDS} words"
    if max(nwords(p) for p in paragraphs) < _MIN_PROSE:
        return (
            f"no_text: only short lines (menus or link lists), no paragraph of "
            f"{_MIN_PROSE} words or more"
        )
    return None


def _nfc(value: str | None) -> str | None:
    """Text in composed form (NFC): "Mu\u0308ller" and "Müller" are then the same word."""
    return unicodedata.normalize("NFC", value) if value else value


def _record(url: str | None, extractor: str) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(RECORD_KEYS)
    record.update(url=url, date_source="missing", extractor=extractor, status="ok")
    return record


def _unusable(record: dict[str, Any], reason: str) -> dict[str, Any]:
    record.update(status="unusable", reason=reason)
    return record


def parse_html(
    html: str | bytes,
    *,
    url: str | None = None,
    engine: Engine = "auto",
    max_size: int = MAX_SIZE,
) -> dict[str, Any]:
    """Extract one article record from the HTML of a saved page.

    Parameters
    ----------
    html : str or bytes
        The page. Bytes are decoded from their byte-order mark, ``<meta charset>``,
        UTF-8, or a detected encoding (windows-1252 as last resort).
    url : str, optional
        Where the page came from. It resolves a relative canonical link, helps date
        extraction (``/2018/03/20/`` in the path) and is the record's ``url`` when the
        page names no canonical URL. Nothing is fetched.
    engine : {"auto", "trafilatura", "newspaper"}, default "auto"
        Body extractor. ``"auto"`` combines two trafilatura passes and newspaper4k and
        scores best on the extraction benchmark; the others run one library alone.
    max_size : int, default 8_000_000
        Largest page, in characters once scripts, styles and inline images are cut,
        that is parsed; a larger one gives status ``"unusable"``, reason ``"too_large"``
        (as does a page of more than :data:`MAX_ELEMENTS` HTML elements).

    Returns
    -------
    dict
        ``title``, ``description``, ``text`` (paragraphs separated by blank lines),
        ``authors`` ("; "-joined), ``published`` (UTC :class:`pandas.Timestamp` or
        None), ``date_source`` (url, meta, json-ld, html, text or missing),
        ``language`` (ISO 639-1), ``url`` (canonical if the page names one),
        ``outlet`` (the site name the page gives in ``og:site_name``, its JSON-LD
        publisher or ``application-name``, else the registered domain of ``url`` or
        of the canonical URL; None without any), ``extractor`` (engine and library
        version), ``status`` ("ok", "no_text" or "unusable") and ``reason`` (None when
        ok). Missing values are None. Text fields are in composed Unicode form (NFC).

    Raises
    ------
    TypeError
        If ``html`` is neither str nor bytes, or ``url`` neither str nor None (a
        missing value such as NaN counts as None).
    ValueError
        If ``engine`` or ``max_size`` is not one of the accepted values.

    See Also
    --------
    mediakit.load_articles : reads folders of saved pages into an article frame.

    Examples
    --------
    >>> page = '''<html lang="en"><head><title>Rates rise again</title>
    ... <meta name="author" content="Ada Lovelace"></head><body><article>
    ... <h1>Rates rise again</h1><p class="byline">By Ada Lovelace</p>
    ... <p>The central bank raised its main interest rate for the third time this year,
    ... citing persistent inflation in services and a tight labour market.</p>
    ... <p>Markets had expected the move, and bond yields barely changed after the
    ... announcement on Thursday afternoon.</p></article></body></html>'''
    >>> record = parse_html(page, url="https://news.example.org/2024/03/21/rates")
    >>> record["title"], record["authors"], record["language"], record["status"]
    ('Rates rise again', 'Ada Lovelace', 'en', 'ok')
    >>> print(record["text"])
    The central bank raised its main interest rate for the third time this year, citing
    persistent inflation in services and a tight labour market.
    <BLANKLINE>
    Markets had expected the move, and bond yields barely changed after the announcement
    on Thursday afternoon.
    >>> parse_html(b"")["status"], parse_html(b"")["reason"]
    ('unusable', 'empty: the page has no content')
    """
    if not isinstance(html, str | bytes | bytearray):
        raise TypeError(
            f"parse_html: 'html' must be str or bytes (the page's markup), got "
            f"{type(html).__name__}. Read the file first, e.g. Path(p).read_bytes()."
        )
    if url is not None and not isinstance(url, str):
        if pd.api.types.is_scalar(url) and pd.isna(url):
            url = None
        else:
            raise TypeError(
                f"parse_html: 'url' must be a str or None, got {type(url).__name__} {url!r}. "
                "Pass the page's address as text, e.g. url=str(address)."
            )
    url = url.strip() or None if url else None
    if engine not in ENGINES:
        raise ValueError(
            f"parse_html: 'engine' must be one of {', '.join(map(repr, ENGINES))}; got "
            f"{engine!r}. Use engine='auto' unless you need one library's output."
        )
    if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size <= 0:
        raise ValueError(
            f"parse_html: 'max_size' must be a positive number of characters; got "
            f"{max_size!r}. The default is {MAX_SIZE:_}."
        )
    versions = _versions()
    extractor = {
        "auto": f"mediakit {versions['mediakit']} auto (trafilatura {versions['trafilatura']})",
        "trafilatura": f"trafilatura {versions['trafilatura']}",
        "newspaper": f"newspaper4k {versions['newspaper4k']}",
    }[engine]
    record = _record(url, extractor)
    given_url, url = url, _usable_url(url)

    if isinstance(html, bytes | bytearray):
        if not bytes(html).strip():
            return _unusable(record, "empty: the page has no content")
        decoded, how = decode_html(bytes(html))
        if decoded is None:
            return _unusable(record, how)
        html = decoded
    if not html.strip():
        return _unusable(record, "empty: the page has no content")
    if len(html) > max_size:
        html = _shrink(html)
        if len(html) > max_size:
            return _unusable(
                record,
                f"too_large: {len(html):_} characters after cutting scripts and styles, "
                f"more than max_size={max_size:_}",
            )
    if _looks_binary(html):
        return _unusable(record, "binary: the content is not text (control characters)")

    tree = _load(html)
    if tree is None:
        return _unusable(record, "not_html: the markup could not be parsed")
    n_elements = sum(1 for _ in tree.iter())
    if n_elements > MAX_ELEMENTS:
        return _unusable(
            record,
            f"too_large: {n_elements:_} HTML elements, more than {MAX_ELEMENTS:_} "
            "(a page listing many documents, not one article)",
        )

    meta = _metadata(tree, url)
    if engine == "newspaper":
        found = _newspaper(html, url)
        paragraphs = found.get("paragraphs", [])
        for key in ("title", "description", "url"):
            meta[key] = found.get(key) or meta[key]
        host = (urlsplit(url or "").hostname or "").removeprefix("www.")
        names = (meta["outlet"], host.split(".")[0])
        meta["authors"] = page_authors(found.get("authors"), tree, site_names=names)
    elif engine == "trafilatura":
        paragraphs = _trafilatura(tree, url)
    else:
        paragraphs, used_newspaper = _auto(tree, html, url, meta["title"])
        if used_newspaper:
            record["extractor"] = (
                f"mediakit {versions['mediakit']} auto (trafilatura {versions['trafilatura']}, "
                f"newspaper4k {versions['newspaper4k']})"
            )

    problem = _not_an_article(paragraphs)
    text = "\n\n".join(paragraphs) if paragraphs and problem is None else None
    published, date_source = _date(html, url, tree)
    record.update(
        title=_nfc(meta["title"]),
        description=_nfc(meta["description"]),
        text=_nfc(text),
        authors=_nfc(meta["authors"]),
        published=published,
        date_source=date_source if published is not None else "missing",
        language=_language(text, tree),
        url=_canonical(meta["url"], url) or given_url,
        outlet=_nfc(meta["outlet"]),
    )
    if problem is not None:
        record.update(status="no_text", reason=problem)
    return record
