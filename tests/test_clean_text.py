"""Tests of raw scraped text cleaning (mediakit.ingest.text) on the seed dump and real pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediakit import clean_text, clean_texts, validate_articles
from mediakit.ingest.text import RULES_VERSION, clean_article_frame
from mediakit.schema import as_articles, count_words

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "samples" / "000_dcebc4dd8079f64f.txt"
KEYS = {"title", "description", "text", "removed", "status", "lines_removed", "outlet"}


@pytest.fixture(scope="module")
def seed() -> dict:
    return clean_text(SEED.read_text(encoding="utf-8"))


def test_seed_title_and_description(seed):
    assert seed["title"] == (
        "In a call, Donald Trump congratulates Vladimir Putin on election victory, says Kremlin"
    )
    assert seed["description"].startswith("The Kremlin said that Trump had phoned Vladimir Putin")
    assert seed["description"].endswith("setting up a possible high-level meeting.")
    assert seed["status"] == "ok"


def test_seed_body_is_exactly_the_twelve_paragraphs(seed):
    paragraphs = seed["text"].split("\n\n")
    assert len(paragraphs) == 12
    assert paragraphs[0].startswith("The Kremlin said on Tuesday that US President Donald Trump")
    assert paragraphs[-1].startswith('"It\'s very important to maintain this unity," said Putin')
    assert paragraphs[-1].endswith('Russia had a chance to make "a breakthrough."')
    raw_paragraphs = [
        " ".join(p.split()) for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()
    ]
    start = raw_paragraphs.index(paragraphs[0])
    assert paragraphs == raw_paragraphs[start : start + 12]


@pytest.mark.parametrize(
    "debris",
    [
        "Twitter",
        "Advertisement",
        "Latest News",
        "article-main",
        "FacebookTwitterWhatsappLinkedin",
        "Find your daily dose",
        "Follow DNA on WhatsApp",
        "Live tv",
    ],
)
def test_seed_debris_is_gone(seed, debris):
    assert debris not in seed["text"]
    assert any(debris in line for line in seed["removed"])


def test_seed_tag_line_is_removed(seed):
    lines = seed["text"].splitlines()
    assert "Donald Trump" not in lines
    assert "Donald Trump" in seed["removed"]


# --- real pages from the text-cleaning benchmark (dev set), with their gold bodies ---------

PAGES = ROOT / "tests" / "data" / "text_cleaning"
TRUTH = json.loads((PAGES / "truth.json").read_text(encoding="utf-8"))
WORD = re.compile(r"\w+")


@pytest.mark.parametrize("page_id", sorted(TRUTH))
def test_benchmark_page_body_matches_gold(page_id):
    record = clean_text((PAGES / f"{page_id}.txt").read_text(encoding="utf-8"))
    assert record["status"] == "ok"
    assert WORD.findall(record["text"]) == WORD.findall(TRUTH[page_id]["text"])


def test_comment_section_is_cut():
    raw = (PAGES / "8e3efab59f48fd29.txt").read_text(encoding="utf-8")
    record = clean_text(raw)
    assert "says:" not in record["text"]
    assert "34 responses to" not in record["text"]
    assert any(line.endswith("says:") for line in record["removed"])
    assert record["title"] == "Anthony Lynn: “We needed to win this game”"


def test_related_stories_river_is_cut():
    record = clean_text((PAGES / "e4c6a3b482403a8f.txt").read_text(encoding="utf-8"))
    assert record["text"].endswith("In short, slaughter is likely coming to Hong Kong.")
    assert "Carlos Ghosn" not in record["text"]


def test_removed_lines_and_kept_lines_partition_the_dump():
    raw = (PAGES / "65ce3a4577a03069.txt").read_text(encoding="utf-8")
    record = clean_text(raw)
    kept = record["text"].split("\n") + [record["title"], record["description"]]
    lines = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    assert sorted(lines) == sorted([k for k in kept if k] + record["removed"])
    assert record["lines_removed"] == len(record["removed"])
    assert "© The Detroit News, a Digital First Media Newspaper" in record["removed"]


# --- a known title, errors -------------------------------------------------------------------


def test_given_title_is_kept_and_its_repeats_dropped():
    raw = SEED.read_text(encoding="utf-8")
    title = "In a call, Donald Trump congratulates Vladimir Putin on election victory, says Kremlin"
    record = clean_text(raw, title=title.upper(), outlet="DNA")
    assert record["title"] == title.upper()
    assert record["outlet"] == "DNA"
    assert title in record["removed"]
    assert len(record["text"].split("\n\n")) == 12


@pytest.mark.parametrize("bad", [b"Some bytes", None, 42, ["a list"]])
def test_non_str_raises_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match=r"clean_text expects 'raw' to be a str, got"):
        clean_text(bad)


def test_bad_title_raises_type_error():
    with pytest.raises(TypeError, match=r"'title' to be a str or None, got int"):
        clean_text("Some text.", title=3)


@pytest.mark.parametrize("raw", ["", "   \n\n \t ", "\x00\x01", "Advertisement\nShare"])
def test_text_without_a_body_gives_an_empty_record(raw):
    record = clean_text(raw)
    assert record["text"] == ""
    assert record["status"] in {"empty", "no_body"}


# --- many texts: corpus evidence -------------------------------------------------------------


def _outlet_texts() -> tuple[list[str], list[str]]:
    bodies = [
        "Officials confirmed on Monday that the bridge will close for repairs next spring.",
        "The council approved the budget after a long and heated debate on Tuesday night.",
        "Teachers voted to accept the new contract after three months of negotiations.",
        "The museum will reopen its east wing in June after a two-year renovation.",
    ]
    texts = [f"{b}\n\nWeekend Edition is read by readers every Saturday morning." for b in bodies]
    texts.append("A different outlet ran this story about the harbour and its new ferry line.")
    return texts, ["Daily"] * 4 + ["Weekly"]


def test_lines_repeated_across_an_outlet_are_removed():
    texts, outlets = _outlet_texts()
    alone = clean_text(texts[0])
    assert "Weekend Edition" in alone["text"]
    records = clean_texts(texts, outlets=outlets)
    assert all("Weekend Edition" not in r["text"] for r in records[:4])
    assert records[0]["removed"] == ["Weekend Edition is read by readers every Saturday morning."]
    assert records[4]["text"] == texts[4]


def test_duplicated_articles_do_not_count_as_repeats():
    text = "The mayor resigned on Friday after weeks of pressure from the city council."
    records = clean_texts([text] * 5, outlets=["Daily"] * 5)
    assert all(r["text"] == text for r in records)


def test_clean_texts_handles_missing_values_and_checks_lengths():
    records = clean_texts(["A sentence that is long enough to be kept as prose here.", None])
    assert records[1]["status"] == "missing" and records[1]["text"] is None
    with pytest.raises(ValueError, match=r"'outlets' to have one entry per text \(2\), got 1"):
        clean_texts(["a", "b"], outlets=["x"])
    with pytest.raises(TypeError, match=r"got a single str"):
        clean_texts("just one text")
    with pytest.raises(TypeError, match=r"texts\[1\] to be a str or a missing value, got int"):
        clean_texts(["a", 1])
    with pytest.raises(ValueError, match=r"'n_jobs' parameter of clean_texts .* Got 0"):
        clean_texts(["a"], n_jobs=0)


def test_clean_texts_in_parallel_gives_the_same_records():
    texts, outlets = _outlet_texts()
    texts, outlets = texts * 50, outlets * 50
    assert clean_texts(texts, outlets=outlets, n_jobs=2) == clean_texts(texts, outlets=outlets)


# --- properties ------------------------------------------------------------------------------

# lines drawn from real page furniture and prose, so that generated dumps exercise every step
LINE_POOL = [
    "Advertisement",
    "Share this article",
    "FacebookTwitterWhatsappLinkedin",
    "article-main",
    "Related Articles",
    "3 Comments",
    "jdoe says:",
    "By Jane Smith",
    "Updated 10:02 AM EST Nov 19, 2019",
    "© 2019 Example Media. All rights reserved.",
    "Storm closes schools across the region",
    "Schools in three counties stayed shut on Monday after heavy snow blocked roads.",
    '"We will reopen as soon as the buses can run safely," the district said on Tuesday.',
    "Officials said power had been restored to most homes by the evening, but not all of them.",
    "More: Ten things to know about the storm",
    "",
]

dumps = st.lists(st.sampled_from(LINE_POOL) | st.text(max_size=80), max_size=40).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(raw=st.text(max_size=2000) | dumps)
def test_any_text_gives_a_record(raw):
    record = clean_text(raw)
    assert KEYS <= set(record)
    assert isinstance(record["text"], str)
    assert isinstance(record["removed"], list)
    assert record["lines_removed"] == len(record["removed"])
    assert record["status"] in {"ok", "no_body", "empty"}


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=2000))
def test_decoded_bytes_give_a_record(data):
    for encoding in ("utf-8", "latin-1", "utf-16"):
        record = clean_text(data.decode(encoding, errors="replace"))
        assert KEYS <= set(record)


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(st.tuples(dumps, st.sampled_from(["A", "B", None])), min_size=1, max_size=12),
    seed=st.randoms(use_true_random=False),
)
def test_clean_texts_does_not_depend_on_input_order(items, seed):
    texts = [text for text, _ in items]
    outlets = [outlet for _, outlet in items]
    records = clean_texts(texts, outlets=outlets)
    order = list(range(len(items)))
    seed.shuffle(order)
    shuffled = clean_texts([texts[i] for i in order], outlets=[outlets[i] for i in order])
    assert [shuffled[order.index(i)] for i in range(len(items))] == records


# --- article frames: the AllSides 2018 corpus ------------------------------------------------


@pytest.fixture(scope="module")
def cleaned():
    from mediakit import datasets

    return datasets.load_allsides(clean=True)  # clean_article_frame of the corpus


def _article(frame, article_id: str) -> str:
    return frame.loc[frame["article_id"] == article_id, "text"].item()


def test_clean_article_frame_does_not_modify_its_input(allsides):
    frame = allsides.head(300)
    before = frame.copy()
    clean_article_frame(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_cleaned_corpus_is_computed_once_and_returned_as_copies(cleaned):
    from mediakit import datasets

    again = datasets.load_allsides(clean=True)
    assert again is not cleaned
    pd.testing.assert_frame_equal(again, cleaned)
    again.loc[again.index[0], "text"] = "changed"
    assert datasets.load_allsides(clean=True)["text"].iloc[0] != "changed"


def test_cleaned_frame_is_an_article_frame(allsides, cleaned):
    validate_articles(cleaned)
    assert list(cleaned.columns) == [*allsides.columns, "lines_removed"]
    assert cleaned["lines_removed"].dtype == "int64"
    assert cleaned["lines_removed"].sum() > 4000
    assert cleaned["extractor"].str.endswith(" + mediakit.clean_text " + RULES_VERSION).all()
    assert cleaned["extractor"].str.startswith("newspaper3k").all()
    assert (cleaned["word_count"] == count_words(cleaned["text"])).all()
    assert (cleaned["title"] == allsides["title"]).all()
    # cleaning removes debris, not articles: at most a few lose more than a third of their
    # words, counted without the link cards run into sentences (on The Hill's pages they
    # can be a third of the words)
    from mediakit.ingest._lines import _LINK_CARD

    uncarded = allsides["text"].str.replace(_LINK_CARD, r"\1", regex=True)
    lost = 1 - cleaned["word_count"] / count_words(uncarded).clip(lower=1)
    assert (lost > 0.33).sum() <= 3
    assert cleaned["word_count"].sum() > 0.97 * count_words(uncarded).sum()


@pytest.mark.parametrize(
    "debris", [r"Story Continued Below", r"ADVERTISEMENT", r"Advertisement", r"Sign up for\b.*"]
)
def test_no_debris_line_is_left(allsides, cleaned, debris):
    pattern = re.compile(rf"^{debris}$", re.MULTILINE)
    assert allsides["text"].str.contains(pattern).sum() > 100
    assert cleaned["text"].str.contains(pattern).sum() == 0


def test_video_player_widgets_are_removed(allsides, cleaned):
    """Embedded players leave "JUST WATCHED <title> Replay More Videos ... MUST WATCH" lines."""
    assert allsides["text"].str.contains("Replay More Videos").sum() > 50
    assert cleaned["text"].str.contains("Replay More Videos").sum() == 0


ALLSIDES_CASES = {
    # Politico: a mid-article marker and a newsletter box
    "ATMKBqciYoiZV5VY": (
        [
            "Of those polled, 62 percent said Trump is not doing enough to prevent mass shootings",
            "The Washington Post/ABC News poll was conducted Feb. 15-18, reaching 808 adults",
        ],
        ["Story Continued Below", "POLITICO Playbook newsletter", "Mandel Ngan/AF"],
    ),
    # Washington Times: newsletter prompt and copyright footer after the last paragraph
    "SjBV8hHkDrVG19sP": (
        [
            "Mr. Durbin said those proposals were non-starters.",
            "Immigrant-rights groups were furious at the report that Mr. Trump envisions",
        ],
        ["Sign up for Daily Newsletters", "Copyright ©"],
    ),
    # National Review: a photo caption, ad labels, a READ MORE list and a newsletter prompt
    "247z6SmMeZbitLYR": (
        [
            "This fight — over immigration and a government shutdown — is far from over.",
            "But look again. The bill they supported will keep the government fully open",
        ],
        [
            "Advertisement",
            "READ MORE:",
            "Government Shutdown Ends as Democrats Cave",
            "(Joshua Roberts/Reuters)",
            "sign up for National Review Online’s newsletters",
        ],
    ),
    # USA TODAY: byline lines and inline "More:" links between paragraphs
    "HF7KINLI0iqNWd5e": (
        [
            "WASHINGTON – Hours after a Republican-led House committee released a document",
            '"Remember: keep calm and tackle hard," he continued.',
            '"The FBI was provided a limited opportunity to review this memo the day before',
        ],
        ["Kevin Johnson", "USA TODAY\n", "More:Republicans release memo", "More:Analysis"],
    ),
}


@pytest.mark.parametrize("article_id", sorted(ALLSIDES_CASES))
def test_allsides_articles_keep_their_paragraphs(allsides, cleaned, article_id):
    kept, gone = ALLSIDES_CASES[article_id]
    raw, text = _article(allsides, article_id), _article(cleaned, article_id)
    for paragraph in kept:
        assert paragraph in raw and paragraph in text
    for debris in gone:
        assert debris in raw and debris not in text
    # every paragraph that is kept is a whole paragraph of the source
    source = {" ".join(p.split()) for p in raw.splitlines()}
    assert all(p in source for p in text.splitlines() if p)


def test_description_is_filled_when_the_standfirst_is_found():
    raw = SEED.read_text(encoding="utf-8")
    title = "In a call, Donald Trump congratulates Vladimir Putin on election victory, says Kremlin"
    frame = as_articles(
        pd.DataFrame(
            {
                "article_id": ["a1", "a2", "a3"],
                "title": [title, "Other", "Third"],
                "text": [raw, "Short note.", pd.NA],
            }
        )
    )
    cleaned = clean_article_frame(frame)
    assert cleaned.loc[0, "description"].startswith("The Kremlin said that Trump had phoned")
    assert cleaned.loc[0, "text"].count("\n\n") == 11
    assert pd.isna(cleaned.loc[2, "text"]) and cleaned.loc[2, "word_count"] == 0
    assert cleaned.loc[1, "text"] == "Short note."  # no body found: kept as given
    assert cleaned["lines_removed"].tolist() == [12, 0, 0]  # 11 debris lines + the title line
    assert cleaned["extractor"].tolist() == [f"mediakit.clean_text {RULES_VERSION}"] * 3
    with pytest.raises(TypeError, match=r"expects an article frame with a 'text' column, got"):
        clean_article_frame(frame.drop(columns="text"))


def test_decomposed_text_comes_out_composed(tmp_path):
    """Text stored decomposed (NFD) is composed at entry: a raw dump and a table column."""
    import unicodedata

    import mediakit as mk

    story = (
        "Jürgen Müller übernimmt zum ersten März die Leitung des städtischen Krankenhauses, "
        "wie der Aufsichtsrat am Dienstag mitteilte.\n\nMüller war zuvor zwölf Jahre lang "
        "Ärztlicher Direktor einer Klinik in Görlitz und gilt als erfahrener Sanierer."
    )
    decomposed = unicodedata.normalize("NFD", story)
    record = clean_text(f"Startseite\nPolitik\n\n{decomposed}\n\nTeilen")
    assert record["text"] == story
    csv = tmp_path / "export.csv"
    title = unicodedata.normalize("NFD", "Müller übernimmt die Leitung")
    table = pd.DataFrame({"title": [title], "text": [decomposed], "outlet": ["Görlitzer Bote"]})
    table.to_csv(csv, index=False)
    frame = mk.load_articles(csv, progress=False)
    assert frame["text"].iloc[0] == story
    assert frame["title"].iloc[0] == "Müller übernimmt die Leitung"
    assert frame["outlet"].iloc[0] == "Görlitzer Bote"


# --- gallery and caption furniture -----------------------------------------------------------

_FLOOD = [
    "Residents of the river towns began clearing mud from their homes on Monday, two days "
    "after the worst flooding the valley has seen in forty years.",
    "The regional government said 1,200 homes had been damaged and that emergency payments "
    "would reach families by the end of the week.",
    "Engineers are still inspecting three bridges, which stay closed to traffic until they "
    "are declared safe, the transport office said.",
]


def test_a_gallery_run_into_one_line_is_removed():
    slides = " ".join(
        f"Photos: The valley floods of March {caption} Hide Caption {k} of 6"
        for k, caption in enumerate(
            [
                "A man wades through a flooded street in the lower town.",
                "Volunteers fill sandbags outside the fire station.",
                "A tractor pulls a car out of the water near the bridge.",
                "Children watch the river from the church steps.",
                "A shop owner sweeps mud out of her bakery.",
                "Rescue boats wait at the edge of the old market square.",
            ],
            start=1,
        )
    )
    record = clean_text("\n\n".join([_FLOOD[0], slides, *_FLOOD[1:]]))
    assert record["text"] == "\n\n".join(_FLOOD)
    assert slides in record["removed"]


def test_a_run_of_labelled_captions_is_removed():
    captions = [
        f"Hide caption {text} Previous Next {credit}/Valley Times"
        for text, credit in [
            (
                "Volunteers fill sandbags outside the fire station on Saturday morning as "
                "the river rises past the warning mark set after the floods of 1982, while "
                "firefighters move their engines to higher ground behind the school.",
                "Jane Roe",
            ),
            (
                "A tractor pulls a car out of the water near the old stone bridge, which "
                "engineers closed on Sunday after finding cracks in two of its arches, "
                "cutting the shortest road between the lower and the upper town.",
                "John Doe",
            ),
            (
                "Rescue boats wait at the edge of the market square in the lower town, where "
                "the water reached the windows of the ground floors, as residents carry "
                "furniture and photographs up to the first floors of their homes.",
                "Jane Roe",
            ),
        ]
    ]
    record = clean_text("\n\n".join([*_FLOOD, *captions, "Share this story"]))
    assert record["text"] == "\n\n".join(_FLOOD)


def test_prose_that_repeats_itself_is_kept():
    anaphora = (
        "It is a town that floods every spring. It is a town that rebuilds every summer. "
        "It is a town that, every autumn, says it will not happen again, and it is a town "
        "that believes it."
    )
    paragraphs = [_FLOOD[0], anaphora, "It is not the first time.", *_FLOOD[1:]]
    record = clean_text("\n\n".join(paragraphs))
    assert anaphora in record["text"]


def test_link_cards_run_into_a_sentence_are_cut():
    line = (
        "Senate Majority Leader Mitch McConnell Addison (Mitch) Mitchell McConnellSenate "
        "passes flood relief bill Ten things to watch in the budget fight MORE said on "
        "Tuesday that the relief bill would pass before the recess."
    )
    record = clean_text("\n\n".join([_FLOOD[0], line, *_FLOOD[1:]]))
    assert (
        "Senate Majority Leader Mitch McConnell said on Tuesday that the relief bill would pass "
        "before the recess." in record["text"].split("\n\n")
    )


#: Page furniture that came out among the 50 key terms of a lean before the gallery,
#: caption and link-card rules: CNN galleries ("Photos:", "Hide Caption 1 of 72", the
#: gallery's title), NPR slideshow captions, Guardian captions under share buttons,
#: wire "FILE PHOTO" captions and The Hill's link cards (a 2019 headline's
#: "impeachment", "whistleblower", "balk" and fused names in a 2018 corpus).
FURNITURE_TERMS = {
    "caption", "hide", "photos", "pictures", "aftermath", "florence", "pinterest", "file",
    "photo", "trumpgop", "mcconnellgop", "muellerspeier", "balk", "lengthy", "impeachment",
    "whistleblower", "addison",
}  # fmt: skip


def test_no_page_furniture_among_the_key_terms_of_each_lean(cleaned):
    import mediakit as mk

    table = mk.keyness(cleaned, "lean")
    table = table[table["direction"] == "target"]
    for lean, terms in table.groupby("group", observed=True)["term"]:
        top = set(terms.head(50))
        assert len(top) == 50
        assert not top & FURNITURE_TERMS, (lean, top & FURNITURE_TERMS)
