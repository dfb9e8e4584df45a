import pandas as pd

import mediakit as mk
from mediakit import datasets


def test_allsides_shape_and_schema(allsides):
    assert len(allsides) == 4187
    assert allsides["outlet"].nunique() == 112
    assert allsides["article_id"].is_unique
    assert allsides["published"].dt.tz is not None
    assert allsides["published"].min() >= pd.Timestamp("2018-01-01", tz="UTC")
    assert allsides["published"].max() < pd.Timestamp("2019-01-01", tz="UTC")
    assert list(allsides["lean"].cat.categories) == ["left", "center", "right"]
    assert allsides["topic"].nunique() == 92
    mk.validate_articles(allsides)


def test_allsides_keeps_the_seed_story(allsides):
    story = allsides[
        allsides["title"].str.contains("Trump congratulates Putin", na=False)
        & (allsides["outlet"] == "USA TODAY")
    ]
    assert len(story) == 1
    assert story["published"].iloc[0] == pd.Timestamp("2018-03-20", tz="UTC")


def test_allsides_authors_are_semicolon_joined(allsides):
    several = allsides["authors"].dropna()
    assert several.str.contains("; ").any()
    assert not several.str.contains(",").any()


def test_reuters_shape_dates_and_gaps(reuters):
    assert len(reuters) == 21578
    assert reuters["article_id"].is_unique
    months = reuters["published"].dt.month.value_counts()
    assert set(months.index) == {2, 3, 4, 6, 10}
    assert reuters["published"].min() >= pd.Timestamp("1987-02-26", tz="UTC")
    assert reuters["published"].max() < pd.Timestamp("1987-10-21", tz="UTC")
    assert reuters["title"].isna().sum() == (reuters["text_type"] == "UNPROC").sum()
    assert isinstance(reuters["topics"].iloc[0], list)
    mk.validate_articles(reuters)


def test_reuters_r8_subset():
    r8 = datasets.load_reuters("r8")
    assert len(r8) == 7674
    assert r8["label"].nunique() == 8
    assert (r8["topics"].map(len) == 1).all()
    assert (r8["label"].astype(str) == r8["topics"].map(lambda t: t[0])).all()


def test_reuters_rejects_unknown_subset():
    import pytest

    with pytest.raises(ValueError, match="'subset'.*Got 'r52'"):
        datasets.load_reuters("r52")


def test_sample_is_the_raw_seed():
    sample = datasets.load_sample()
    assert len(sample) >= 1
    text = sample["text"].iloc[0]
    assert "FacebookTwitterWhatsappLinkedin" in text
    assert "The Kremlin said on Tuesday" in text


def test_import_is_lazy():
    import subprocess
    import sys

    code = (
        "import sys, mediakit; heavy = [m for m in ('sklearn', 'matplotlib', 'trafilatura', "
        "'newspaper', 'dask') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_stored_duplicate_groups_are_those_the_code_finds(allsides):
    """dup_group is computed once when the data are built; it must match find_duplicates."""
    groups = mk.find_duplicates(allsides)
    assert allsides["dup_group"].fillna("").tolist() == groups.fillna("").tolist()
    assert allsides["dup_group"].notna().sum() >= 4  # wire copies (AP in CBN, Bloomberg in Newsmax)
