import pandas as pd
import pytest

import mediakit as mk
from mediakit.schema import ARTICLE_COLUMNS, ArticleFrameError, as_articles, to_utc


def tiny_frame() -> pd.DataFrame:
    return as_articles(
        pd.DataFrame(
            {
                "article_id": ["a", "b"],
                "text": ["One two three.", None],
                "published": ["2018-03-20T10:00:00+02:00", None],
                "date_source": ["meta", None],
                "path": ["x.txt", "y.txt"],
                "extractor": ["test", "test"],
                "lean": ["left", "right"],
            }
        )
    )


def test_as_articles_orders_columns_and_keeps_extras():
    frame = tiny_frame()
    assert list(frame.columns) == [*ARTICLE_COLUMNS, "lean"]
    assert frame["word_count"].tolist() == [3, 0]
    assert str(frame["published"].dtype) == "datetime64[us, UTC]"
    assert frame["published"].iloc[0] == pd.Timestamp("2018-03-20 08:00", tz="UTC")
    assert frame["date_source"].tolist() == ["meta", "missing"]
    assert mk.validate_articles(frame) is frame


def test_as_articles_does_not_modify_input():
    raw = pd.DataFrame({"article_id": ["a"], "text": ["x y"], "path": ["p"], "extractor": ["e"]})
    before = raw.copy()
    as_articles(raw)
    pd.testing.assert_frame_equal(raw, before)


def test_validate_rejects_frame_without_text():
    frame = tiny_frame().drop(columns="text")
    with pytest.raises(ArticleFrameError, match="no column 'text'.*as_articles"):
        mk.validate_articles(frame)


def test_validate_rejects_naive_dates_and_duplicate_ids():
    frame = tiny_frame()
    naive = frame.assign(published=frame["published"].dt.tz_localize(None))
    with pytest.raises(ArticleFrameError, match="tz-aware UTC"):
        mk.validate_articles(naive)
    doubled = pd.concat([frame, frame])
    with pytest.raises(ArticleFrameError, match="'article_id' must be unique"):
        mk.validate_articles(doubled)


def test_validate_rejects_non_frames():
    with pytest.raises(TypeError, match="got list"):
        mk.validate_articles([1, 2])


def test_to_utc_converts_offsets_and_coerces_garbage():
    out = to_utc(pd.Series(["2018-03-20T23:30:00-05:00", "garbage"]))
    assert out.iloc[0] == pd.Timestamp("2018-03-21 04:30", tz="UTC")
    assert pd.isna(out.iloc[1])
