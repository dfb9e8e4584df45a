"""Publication dates: saved pages, URLs and columns of date strings."""

from __future__ import annotations

import gzip
import json
import socket
from datetime import date, datetime, timedelta, timezone

import lxml.html
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediakit.ingest.dates import (
    date_from_url,
    extract_date,
    extract_date_details,
    normalize_published,
    parse_date_string,
)
from tests.conftest import TEST_DATA

DATES = TEST_DATA / "dates"
TRUTH = json.loads((DATES / "truth.json").read_text(encoding="utf-8"))


def read_page(name: str) -> str:
    return gzip.decompress((DATES / f"{name}.html.gz").read_bytes()).decode("utf-8")


def page(head: str = "", body: str = "<p>Story text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def jsonld(**fields: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("date extraction tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --------------------------------------------------------------------------------------
# real pages (hand-annotated gold day)
# --------------------------------------------------------------------------------------


#: pages whose gold day is a date the page labels as an update ("Last updated 04 Jun 2020,
#: originally created 17 Jun 2019"): published is the first publication, kept apart
UPDATE_GOLD = {"pythonspeed.com.docker"}


@pytest.mark.parametrize("name", sorted(set(TRUTH) - UPDATE_GOLD))
def test_real_pages_give_the_gold_day(name, no_network):
    html = read_page(name)
    gold = date.fromisoformat(TRUTH[name]["date"])
    details = extract_date_details(html)
    assert details.day == gold
    assert extract_date_details(html, url=TRUTH[name]["url"]).day == gold
    published, source = extract_date(html)
    assert source == details.source != "missing"
    assert published == details.published
    assert str(published.tz) == "UTC"


def test_real_pages_cover_every_source():
    sources = {extract_date_details(read_page(name)).source for name in TRUTH}
    assert sources == {"json-ld", "meta", "html", "url", "text"}


def test_real_page_update_shown_under_the_headline_is_the_modification():
    details = extract_date_details(read_page("pythonspeed.com.docker"))
    assert details.day == date(2019, 6, 17)
    assert details.modified == pd.Timestamp("2020-06-04 16:41:46", tz="UTC")


def test_real_page_jsonld_offset_converted_to_utc():
    # the page states 2020-01-21T11:12:51+08:00
    details = extract_date_details(read_page("1500260110"))
    assert details.source == "json-ld" and details.has_time
    assert details.local.utcoffset() == timedelta(hours=8)
    assert details.published == pd.Timestamp("2020-01-21 03:12:51", tz="UTC")


def test_real_page_visible_date_beats_a_later_generic_meta_date():
    # <meta name="date"> says the 29th; the byline under the headline says 28.04.2020
    html = read_page("tagesschau.de.rheinmetall")
    assert 'name="date" content="2020-04-29' in html
    assert extract_date(html) == (pd.Timestamp("2020-04-28", tz="UTC"), "html")


def test_given_tree_is_not_modified():
    html = read_page("prof-pc.de")
    tree = lxml.html.fromstring(html)
    before = lxml.html.tostring(tree)
    assert extract_date(html, tree=tree)[1] == "text"
    assert lxml.html.tostring(tree) == before


def test_bytes_and_parsed_tree_inputs_give_the_same_date():
    html = read_page("flowfx.de.tmux")
    expected = extract_date(html)
    assert expected[1] == "meta"
    assert extract_date(html.encode("utf-8")) == expected
    assert extract_date("", tree=lxml.html.fromstring(html)) == expected
    latin1 = page('<meta name="date" content="2018-03-20">', "<p>Caf\xe9 news</p>")
    assert extract_date(latin1.encode("latin-1")) == (pd.Timestamp("2018-03-20", tz="UTC"), "meta")


# --------------------------------------------------------------------------------------
# structured data, offsets and time zones
# --------------------------------------------------------------------------------------


def test_jsonld_offset_converts_to_utc_and_keeps_local_day():
    html = page(jsonld(datePublished="2018-03-20T22:05:00-04:00"))
    details = extract_date_details(html)
    assert details.published == pd.Timestamp("2018-03-21 02:05", tz="UTC")
    assert details.day == date(2018, 3, 20)
    assert details.local == datetime(2018, 3, 20, 22, 5, tzinfo=timezone(timedelta(hours=-4)))
    assert (details.source, details.has_time) == ("json-ld", True)


def test_date_only_value_becomes_midnight_utc_of_that_day():
    html = page('<meta property="article:published_time" content="2018-03-20">')
    assert extract_date(html) == (pd.Timestamp("2018-03-20", tz="UTC"), "meta")


def test_published_preferred_over_modified():
    html = page(
        jsonld(dateModified="2019-05-02T08:00:00+02:00", datePublished="2018-03-20T10:00:00+02:00")
    )
    assert extract_date(html) == (pd.Timestamp("2018-03-20 08:00", tz="UTC"), "json-ld")


def test_article_node_preferred_over_other_nodes():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "VideoObject", "uploadDate": "2015-01-16T10:00:00Z"},
            {"@type": "BlogPosting", "datePublished": "2017-12-01T09:30:00+01:00"},
        ],
    }
    html = page(f'<script type="application/ld+json">{json.dumps(graph)}</script>')
    assert extract_date_details(html).day == date(2017, 12, 1)


@pytest.mark.parametrize("byline", ["6 de marzo de 2023", "2023-03-06", "Montag, 6. März 2023"])
def test_unlabelled_day_shown_under_the_headline_picks_among_structured_dates(byline):
    # the page presents the edit day as its date, and the structured data confirms it
    html = page(
        jsonld(datePublished="2023-01-10T09:00:00+01:00", dateModified="2023-03-06T10:12:00+01:00"),
        f"<h1>Why your metabolism slows down</h1><p class='meta'>{byline}</p><p>Text.</p>",
    )
    details = extract_date_details(html)
    assert details.day == date(2023, 3, 6)
    assert details.published == pd.Timestamp("2023-03-06 09:12", tz="UTC")
    assert details.source == "json-ld"


@pytest.mark.parametrize(
    "byline",
    [
        "Updated: March 6, 2023",
        "Aktualisiert am 06.03.2023, 10:12 Uhr",
        "Stand: 6. März 2023",
        "Mis à jour le 6 mars 2023",
        "Last updated 6th Mar 2023",
    ],
)
def test_update_shown_under_the_headline_is_not_the_publication(byline):
    html = page(
        jsonld(datePublished="2023-01-10T09:00:00+01:00", dateModified="2023-03-06T10:12:00+01:00"),
        f"<h1>Why your metabolism slows down</h1><p class='meta'>{byline}</p><p>Text.</p>",
    )
    details = extract_date_details(html)
    assert details.day == date(2023, 1, 10)
    assert details.published == pd.Timestamp("2023-01-10 08:00", tz="UTC")
    assert details.modified == pd.Timestamp("2023-03-06 09:12", tz="UTC")


@pytest.mark.parametrize(
    ("meta_name", "expected"),
    [
        # cross-validation by site dropped the rule that let the page's markup overrule a
        # generic "date" tag (it helped some sites and hurt others)
        ('name="date"', (pd.Timestamp("2022-01-21 08:43", tz="UTC"), "meta")),
        ('property="article:published_time"', (pd.Timestamp("2022-01-21 08:43", tz="UTC"), "meta")),
    ],
)
def test_date_box_without_headline_does_not_overrule_meta(meta_name, expected):
    html = page(
        f'<meta {meta_name} content="2022-01-21T09:43:00+01:00">',
        '<div class="content"><p>The Commission wants to label nuclear power sustainable.</p>'
        '<div class="date">25.01.2022</div><p>More text.</p></div>',
    )
    assert extract_date(html) == expected


# regressions: a structured publication date, header date boxes, modified vs published


def test_caption_date_under_the_headline_does_not_beat_jsonld_published():
    html = page(
        jsonld(datePublished="2022-05-17T06:30:00+02:00", headline="Dry spring hits growers"),
        "<article><h1>Dry spring hits wheat growers across the region</h1>"
        "<figure><img src='field.jpg' alt=''><figcaption>A farmer inspects his field near "
        "Lyon on April 28, 2022. (Photo: J. Martin)</figcaption></figure>"
        "<p>Farmers say the harvest will be the smallest in a decade.</p></article>",
    )
    details = extract_date_details(html)
    assert details.day == date(2022, 5, 17)
    assert (details.source, details.published) == (
        "json-ld",
        pd.Timestamp("2022-05-17 04:30", tz="UTC"),
    )


def test_site_header_date_box_is_not_the_publication_date():
    html = page(
        body=(
            "<header><div id='date-box'>Tue, 9 Jan 2024</div><nav><a href='/'>Home</a>"
            "<a href='/world'>World</a></nav></header><main><article>"
            "<h1>Storm closes ports along the northern coast</h1>"
            "<p class='byline'>Wed, 3 Jun 2020 08:40 UTC</p>"
            "<p>Ferries stayed in harbour on Wednesday as winds reached 120 km/h.</p>"
            "</article></main>"
        )
    )
    assert extract_date_details(html).day == date(2020, 6, 3)


def test_jsonld_modified_five_days_later_is_not_the_publication():
    # a news site's head: JSON-LD with both dates, and the edit again as a meta tag
    html = page(
        jsonld(
            datePublished="2021-09-02T14:05:00-04:00",
            dateModified="2021-09-07T09:12:00-04:00",
            headline="City council approves budget",
        )
        + '<meta property="article:modified_time" content="2021-09-07T09:12:00-04:00">',
        "<h1>City council approves the 2022 budget</h1>"
        + "<p>The vote was 7 to 2. Spending on transit rises by a tenth.</p>" * 8,
    )
    details = extract_date_details(html)
    assert details.day == date(2021, 9, 2)
    assert details.source == "json-ld"
    assert details.modified == pd.Timestamp("2021-09-07 13:12", tz="UTC")


def test_update_under_the_headline_with_publication_meta_the_day_before():
    html = page(
        '<meta property="article:published_time" content="2023-11-06T18:19:00+01:00">'
        '<meta property="article:modified_time" content="2023-11-07T07:30:00+01:00">',
        "<h1>Rail strike called off after overnight talks</h1>"
        "<p class='meta'>Updated November 7, 2023, 7:30 a.m.</p>"
        "<p>Trains will run as normal on Wednesday.</p>",
    )
    details = extract_date_details(html)
    assert details.day == date(2023, 11, 6)
    assert details.source == "meta"
    assert details.modified == pd.Timestamp("2023-11-07 06:30", tz="UTC")


def test_utc_stamp_takes_the_day_shown_under_the_headline():
    # 01:09 UTC on the 9th is the evening of the 8th in the publisher's zone
    html = page(
        jsonld(datePublished="2023-11-09T01:09:55+00:00"),
        "<h1>School football playoffs, second weekend</h1><p>November 8, 2023 at 6:09 p.m.</p>",
    )
    details = extract_date_details(html)
    assert details.day == date(2023, 11, 8)
    assert details.published == pd.Timestamp("2023-11-09 01:09:55", tz="UTC")
    assert details.source == "json-ld"


def test_utc_stamp_read_in_the_page_offset():
    html = page(
        '<meta property="article:published_time" content="2020-05-02T02:54:29Z">'
        '<script>var feed = {"date": "Fri, 01 May 2020 23:00:00 -0400"};</script>'
    )
    assert extract_date_details(html).day == date(2020, 5, 1)


def test_late_round_utc_hour_is_local_midnight():
    # CMSs store a date-only value as local midnight: 23:00 UTC is the next day in CET
    html = page('<meta property="article:published_time" content="2021-11-04T23:00:00Z">')
    assert extract_date_details(html).day == date(2021, 11, 5)


def test_url_day_used_when_page_has_no_date():
    html = page(body="<p>No date in this text at all.</p>")
    assert extract_date(html) == (None, "missing")
    found = extract_date(html, url="https://example.org/2019/10/21/interning/")
    assert found == (pd.Timestamp("2019-10-21", tz="UTC"), "url")


@pytest.mark.parametrize(
    "html",
    ["", "   ", "not html at all", "<html>", "<<<>>>", "\x00\x01", "<meta content='2018-99-99'>"],
)
def test_unusable_pages_are_missing(html):
    assert extract_date(html) == (None, "missing")


def test_future_structured_date_is_ignored():
    html = page(jsonld(datePublished="2999-01-01T00:00:00Z"))
    assert extract_date(html) == (None, "missing")


# --------------------------------------------------------------------------------------
# URL patterns
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/politics/2018/03/20/vote-count/", date(2018, 3, 20)),
        ("https://example.org/2018/3/7/story", date(2018, 3, 7)),
        ("https://example.org/2018/03/20", date(2018, 3, 20)),
        ("https://example.org/news/2018-03-20-vote.html", date(2018, 3, 20)),
        ("https://example.org/news/story_2018_03_20.html", date(2018, 3, 20)),
        ("https://example.org/news/20180320-vote.html", date(2018, 3, 20)),
        ("https://example.org/entlife/20231108/hollywood-strike", date(2023, 11, 8)),
        (
            "https://web.archive.org/web/20160218174457/http://example.de/2010/05/19/post/",
            date(2010, 5, 19),
        ),
        ("https://example.org/2023/10/3-questions-for/", None),  # "3-" starts a title
        ("https://example.org/news/2011/12/title/", None),  # month only
        ("https://example.org/id/120200622120908039/title", None),  # inside a longer number
        ("https://example.org/2018/13/40/nonsense", None),
        ("https://example.org/20180231-no-such-day", None),
        ("", None),
        (None, None),
    ],
)
def test_date_from_url(url, expected):
    found = date_from_url(url)
    if expected is None:
        assert found is None
    else:
        assert found == pd.Timestamp(expected, tz="UTC")


# --------------------------------------------------------------------------------------
# normalize_published
# --------------------------------------------------------------------------------------

NOW = "2024-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-03-20", "2018-03-20 00:00"),
        ("2018-03-20T10:15:00Z", "2018-03-20 10:15"),
        ("2018-03-20T10:15:00-04:00", "2018-03-20 14:15"),
        ("2018-03-20T10:15:00.123+0530", "2018-03-20 04:45:00.123"),
        ("Tue, 20 Mar 2018 10:15:00 +0000", "2018-03-20 10:15"),  # RFC 2822
        ("Tue, 20 Mar 2018 10:15:00 GMT", "2018-03-20 10:15"),
        ("March 20, 2018", "2018-03-20 00:00"),
        ("20 March 2018", "2018-03-20 00:00"),
        ("Tue, Sep 15 2020 10:01:41 EDT", "2020-09-15 14:01:41"),
        ("2018/03/20", "2018-03-20 00:00"),
        ("1521541800", "2018-03-20 10:30"),  # epoch seconds
        (1521541800, "2018-03-20 10:30"),
        (1521541800000, "2018-03-20 10:30"),  # epoch milliseconds
        ("20180320T101500Z", "2018-03-20 10:15"),  # GDELT
        ("20180320101500", "2018-03-20 10:15"),  # GDELT DATEADDED
        (20180320, "2018-03-20 00:00"),
        ("2018-03-20 10:15:00", "2018-03-20 10:15"),  # Media Cloud, naive = UTC
        ("2018-03-20 10:15:00.123456", "2018-03-20 10:15:00.123456"),
        (datetime(2018, 3, 20, 10, 15), "2018-03-20 10:15"),
        (date(2018, 3, 20), "2018-03-20 00:00"),
        (pd.Timestamp("2018-03-20 12:15", tz="Europe/Berlin"), "2018-03-20 11:15"),
    ],
)
def test_normalize_published_formats(value, expected):
    published, reasons = normalize_published([value], now=NOW)
    assert str(published.dtype) == "datetime64[us, UTC]"
    assert published[0] == pd.Timestamp(expected, tz="UTC")
    assert pd.isna(reasons[0])


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2024-01-03", "in the future"),
        ("2999-12-31T00:00:00Z", "in the future"),
        ("1850-06-01", "before 1900"),
        ("June 1, 1850", "before 1900"),
        ("soon", "unparseable: 'soon'"),
        ("2018-13-45", "unparseable: '2018-13-45'"),
        ("March 2018", "unparseable: 'March 2018'"),  # no day
        (None, "missing"),
        ("", "missing"),
        (float("nan"), "missing"),
    ],
)
def test_normalize_published_refuses_with_reason(value, reason):
    published, reasons = normalize_published(pd.Series([value]), now=NOW)
    assert pd.isna(published[0])
    assert reasons[0] == reason


def test_normalize_published_allows_a_day_of_clock_skew_and_keeps_index():
    values = pd.Series(
        ["2024-01-01T20:00:00Z", "2024-01-02T01:00:00Z", "2018-03-20"], index=["a", "b", "c"]
    )
    published, reasons = normalize_published(values, now=pd.Timestamp(NOW))
    assert list(published.index) == ["a", "b", "c"] == list(reasons.index)
    assert published.notna().tolist() == [True, False, True]
    assert reasons["b"] == "in the future"
    assert values.tolist()[1] == "2024-01-02T01:00:00Z"  # input untouched


def test_normalize_published_default_now_is_the_current_time():
    tomorrow = (pd.Timestamp.now(tz="UTC") + pd.Timedelta(hours=12)).isoformat()
    next_week = (pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=7)).isoformat()
    published, reasons = normalize_published([tomorrow, next_week])
    assert published.notna().tolist() == [True, False]


def test_normalize_published_long_column_matches_value_by_value():
    # long columns parse plain ISO strings in one vectorised pass: same results
    values = [
        "2018-03-20",
        "2018-03-20T10:15:00Z",
        "2018-03-20T10:15:00.5-04:00",
        "2018-03-20 10:15:00",
        "2018-03-20T10:15+0530",
        "1850-06-01",
        "2999-01-01T00:00:00Z",
        "2018-02-30",
        "March 20, 2018",
        None,
        1521541800,
        "20180320T101500Z",
        "20180320101500",
        "20181320101500",
    ] * 10
    published, reasons = normalize_published(values, now=NOW)
    singles = [normalize_published([value], now=NOW) for value in values[:14]]

    def plain(items):
        return [None if pd.isna(item) else item for item in items]

    assert plain(published[:14]) == plain(stamp[0] for stamp, _ in singles)
    assert plain(reasons[:14]) == plain(reason[0] for _, reason in singles)
    assert plain(reasons[:14]) == [
        *[None] * 5,
        "before 1900",
        "in the future",
        "unparseable: '2018-02-30'",
        None,
        "missing",
        None,
        None,
        None,
        "unparseable: '20181320101500'",
    ]
    assert plain(published) == plain(published[:14]) * 10


def test_normalize_published_bad_now_names_the_argument():
    with pytest.raises(ValueError, match=r"'now' must be a date-time, got 'yesterday'"):
        normalize_published(["2018-03-20"], now="yesterday")


def test_parse_date_string_keeps_offset_and_time_flag():
    value, has_time = parse_date_string("2018-03-20T10:05:00-04:00")
    assert has_time and value.utcoffset() == timedelta(hours=-4)
    assert parse_date_string("20.03.2018", dayfirst=True) == (datetime(2018, 3, 20), False)
    assert parse_date_string("no date") is None


# --------------------------------------------------------------------------------------
# never raises
# --------------------------------------------------------------------------------------

_TAGS = st.sampled_from(
    [
        "<html>",
        "</html>",
        "<head>",
        "<body>",
        "<h1>",
        "</h1>",
        "<p>",
        "<time datetime='",
        "<meta property='article:published_time' content='",
        "<meta name='date' content='",
        "<script type='application/ld+json'>",
        "</script>",
        '{"@type": "NewsArticle", "datePublished": "',
        '", "dateModified": ',
        "'>",
        '"}',
        "2018-03-20T10:05:00-04:00",
        "2018-02-30",
        "20.03.2018",
        "March 20, 2018",
        "99:99",
        "+25:00",
        "\x00",
        "<!--",
        "]]>",
    ]
)
_MARKUP = st.lists(st.one_of(_TAGS, st.text(max_size=20)), max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=_MARKUP, url=st.one_of(st.none(), st.text(max_size=40)))
def test_extract_date_never_raises(html, url):
    published, source = extract_date(html, url=url)
    assert source in {"json-ld", "meta", "html", "url", "text", "missing"}
    assert (published is None) == (source == "missing")
    if published is not None:
        assert str(published.tz) == "UTC"
        assert published.year >= 1900


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=30),
            st.integers(min_value=-(10**20), max_value=10**20),
            st.floats(allow_nan=True, allow_infinity=True),
            st.datetimes(),
            st.dates(),
        ),
        max_size=8,
    )
)
def test_normalize_published_never_raises(values):
    published, reasons = normalize_published(values, now=NOW)
    assert len(published) == len(reasons) == len(values)
    assert (published.isna() == reasons.notna()).all()
    assert (published.dropna() >= pd.Timestamp("1900-01-01", tz="UTC")).all()


@settings(max_examples=100, deadline=None)
@given(url=st.one_of(st.none(), st.text(max_size=60)))
def test_date_from_url_never_raises(url):
    found = date_from_url(url)
    assert found is None or str(found.tz) == "UTC"


# --------------------------------------------------------------------------------------
# one day/month order per column
# --------------------------------------------------------------------------------------


def read(values, **kwargs):
    published, reasons, notes = normalize_published(
        pd.Series(values, name="date"), now=NOW, return_notes=True, **kwargs
    )
    return [None if pd.isna(p) else p.strftime("%Y-%m-%d") for p in published], reasons, notes


def test_day_first_column_is_read_day_first_throughout(recwarn):
    # "13/04/2018" shows the order: "03/04/2018" is 3 April, not 4 March
    days, reasons, notes = read(["03/04/2018", "13/04/2018", "07/08/2018 10:15"])
    assert days == ["2018-04-03", "2018-04-13", "2018-08-07"]
    assert reasons.isna().all() and notes == {}
    assert not [w for w in recwarn if "dayfirst" in str(w.message)]


def test_month_first_column_is_read_month_first_throughout():
    days, _, notes = read(["03/04/2018", "04/13/2018", "12.01.2018"])
    assert days == ["2018-03-04", "2018-04-13", "2018-12-01"]
    assert notes == {}


def test_ambiguous_column_is_read_month_first_with_one_warning_and_a_count():
    with pytest.warns(UserWarning, match=r"column 'date'.*dayfirst=True") as caught:
        days, reasons, notes = read(["03/04/2018", "07/08/2018", "07/08/2018", "05/05/2018"])
    assert len([w for w in caught if "dayfirst" in str(w.message)]) == 1
    assert days == ["2018-03-04", "2018-07-08", "2018-07-08", "2018-05-05"]
    assert reasons.isna().all()
    assert notes == {"ambiguous day/month order: read month-first": 3}


def test_dayfirst_true_is_honoured_for_an_ambiguous_column(recwarn):
    days, _, notes = read(["03/04/2018", "07/08/2018"], dayfirst=True)
    assert days == ["2018-04-03", "2018-08-07"]
    assert notes == {"ambiguous day/month order: read day-first (dayfirst=True)": 2}
    assert not [w for w in recwarn if "dayfirst" in str(w.message)]


def test_column_values_win_over_a_contradicting_dayfirst():
    with pytest.warns(UserWarning, match="contradicts dayfirst=True"):
        days, _, _ = read(["03/04/2018", "04/13/2018"], dayfirst=True)
    assert days == ["2018-03-04", "2018-04-13"]


def test_conflicting_column_gives_nat_with_the_reason():
    with pytest.warns(UserWarning, match="day-first.*month-first"):
        days, reasons, notes = read(["13/04/2018", "04/13/2018", "03/04/2018", "2018-05-01"])
    assert days == [None, None, None, "2018-05-01"]
    assert reasons.tolist()[:3] == ["conflicting day/month order"] * 3
    assert notes == {"conflicting day/month order": 3}


def test_two_digit_years_are_read_in_one_century_and_reported():
    with pytest.warns(UserWarning, match="two-digit year"):
        days, _, notes = read(["13/04/18", "03/04/18", "01/02/99"])
    assert days == ["2018-04-13", "2018-04-03", "1999-02-01"]
    assert notes["two-digit years read as 1926-2025"] == 3


def test_epoch_seconds_and_milliseconds_in_one_column_conflict():
    with pytest.warns(UserWarning, match="seconds and milliseconds"):
        days, reasons, _ = read([1521541800, 1521541800000, "2018-03-20"])
    assert days == [None, None, "2018-03-20"]
    assert reasons[0] == "conflicting epoch units (seconds and milliseconds)"
    # one unit throughout is read as such
    assert read([1521541800000, 1521600000000])[0] == ["2018-03-20", "2018-03-21"]


def test_dayfirst_must_be_a_bool():
    with pytest.raises(TypeError, match="'dayfirst' must be True, False or None, got 'yes'"):
        normalize_published(["03/04/2018"], dayfirst="yes")


def write_export(folder, dates):
    rows = "".join(
        f'{i},"Story {i}","Council story number {i} with enough words to keep.",{day}\n'
        for i, day in enumerate(dates)
    )
    path = folder / "export.csv"
    path.write_text("id,title,text,date\n" + rows, encoding="utf-8")
    return path


def test_load_articles_reports_an_ambiguous_date_column(tmp_path):
    from mediakit import load_articles

    path = write_export(tmp_path, ["03/04/2018", "07/08/2018", "09/10/2018"])
    with pytest.warns(UserWarning, match="dayfirst=True"):
        articles, report = load_articles(path, return_report=True, progress=False)
    assert articles["published"].dt.strftime("%m-%d").tolist() == ["03-04", "07-08", "09-10"]
    reason = report.loc[report["path"] == str(path), "reason"].iloc[0]
    assert "published: ambiguous day/month order: read month-first (3 values)" in reason


def test_load_articles_passes_dayfirst_to_the_table_dates(tmp_path, recwarn):
    from mediakit import load_articles

    path = write_export(tmp_path, ["03/04/2018", "07/08/2018"])
    articles = load_articles(path, dayfirst=True, progress=False)
    assert articles["published"].dt.strftime("%m-%d").tolist() == ["04-03", "08-07"]
    assert not [w for w in recwarn if "dayfirst" in str(w.message)]


def test_load_articles_reports_a_conflicting_date_column(tmp_path):
    from mediakit import load_articles

    path = write_export(tmp_path, ["13/04/2018", "04/13/2018"])
    with pytest.warns(UserWarning, match="conflict|day-first"):
        articles, report = load_articles(path, return_report=True, progress=False)
    assert articles["published"].isna().all()
    reason = report.loc[report["path"] == str(path), "reason"].iloc[0]
    assert "published: conflicting day/month order (2 values)" in reason


def test_cached_pages_are_parsed_again_when_the_date_rules_change(monkeypatch):
    # fetch_articles keys its cache of parsed pages by the parser's source files
    from pathlib import Path

    from mediakit.ingest.web.fetch import parser_fingerprint

    read: list[str] = []
    original = Path.read_bytes

    def recording(self):
        read.append(self.as_posix())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    parser_fingerprint("auto")
    assert any(path.endswith("ingest/dates/_page.py") for path in read)
    assert any(path.endswith("ingest/dates/_table.py") for path in read)
