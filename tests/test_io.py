"""save_articles / read_articles: Parquet round trips exactly; CSV and JSON Lines keep values."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from mediakit import ARTICLE_COLUMNS
from mediakit.ingest.io import read_articles, save_articles


@pytest.mark.parametrize("name", ["allsides", "reuters"])
def test_parquet_round_trip_is_exact(name, request, tmp_path):
    articles = request.getfixturevalue(name)
    path = save_articles(articles, tmp_path / f"{name}.parquet")
    back = read_articles(path)
    pd.testing.assert_frame_equal(back, articles)
    assert isinstance(back["date_source"].dtype, pd.CategoricalDtype)
    if name == "allsides":
        assert list(back["lean"].cat.categories) == ["left", "center", "right"]
    else:
        assert back["topics"].map(type).eq(list).all()
        assert back["title"].isna().sum() == articles["title"].isna().sum()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "csv.gz", "jsonl.gz"])
def test_text_formats_keep_article_columns_and_lists(reuters, tmp_path, suffix):
    articles = reuters.iloc[::97].reset_index(drop=True)
    back = read_articles(save_articles(articles, tmp_path / f"reuters.{suffix}"))
    pd.testing.assert_frame_equal(back[list(ARTICLE_COLUMNS)], articles[list(ARTICLE_COLUMNS)])
    assert back["topics"].tolist() == articles["topics"].tolist()
    assert back["places"].tolist() == articles["places"].tolist()


def test_inputs_are_not_modified(allsides, tmp_path):
    sample = allsides.head(20)
    before = sample.copy()
    save_articles(sample, tmp_path / "a.csv")
    pd.testing.assert_frame_equal(sample, before)


def test_errors_name_the_problem(allsides, tmp_path):
    with pytest.raises(ValueError, match=r"cannot tell the format of .*\.xlsx"):
        save_articles(allsides.head(2), tmp_path / "articles.xlsx")
    with pytest.raises(FileNotFoundError, match=r"'nowhere\.parquet' does not exist"):
        read_articles("nowhere.parquet")
    with pytest.raises(ValueError, match=r"'format' must be .*got 'xml'"):
        save_articles(allsides.head(2), tmp_path / "a.xml", format="xml")  # type: ignore[arg-type]
    pd.DataFrame({"title": ["A"]}).to_csv(tmp_path / "plain.csv", index=False)
    with pytest.raises(ValueError, match=r"no column\(s\) \['article_id', 'path'\]"):
        read_articles(tmp_path / "plain.csv")


# --------------------------------------------------------------------------- atomic writes
WRITER = """
import sys
import pandas as pd
import mediakit as mk

articles = mk.datasets.load_allsides()
big = pd.concat([articles] * 4, ignore_index=True)
big["article_id"] = pd.array([f"x{i:06d}" for i in range(len(big))], dtype="string")
options = {"partition_by": "month", "overwrite": True} if sys.argv[2] == "dataset" else {}
print("writing", flush=True)
mk.save_articles(big, sys.argv[1], **options)
print("done", flush=True)
"""


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("article_id").reset_index(drop=True)


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under ``folder`` with its size, modification time and inode."""
    out = {}
    for path in folder.rglob("*"):
        try:
            info = path.stat()
        except FileNotFoundError:
            continue
        out[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return out


@pytest.mark.parametrize("kind", ["parquet", "csv", "dataset"])
def test_a_writer_killed_midway_leaves_what_was_saved_whole(allsides, tmp_path, kind):
    """kill -9 while save_articles writes over a corpus: the old corpus reads back whole."""
    old = allsides.iloc[::5].reset_index(drop=True)
    if kind == "dataset":
        target = save_articles(old, tmp_path / "corpus", partition_by="month")
    else:
        target = save_articles(old, tmp_path / f"corpus.{kind}")
    expected = read_articles(target)
    before = snapshot(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), kind], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        # kill as soon as the write shows on disk: a new file, or a saved file touched
        deadline = time.monotonic() + 120
        while snapshot(tmp_path) == before and writer.poll() is None:
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.001)
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL  # killed while writing, not after
    back = read_articles(target)
    if kind == "dataset":
        back, expected = by_id(back), by_id(expected)
    pd.testing.assert_frame_equal(back, expected)


def test_a_monthly_dataset_saved_over_another_never_mixes_them(allsides, tmp_path):
    folder = save_articles(allsides, tmp_path / "corpus", partition_by="month")
    four = allsides.iloc[[0, 1000, 2000, 3000]]
    with pytest.raises(FileExistsError, match=r"already holds files\. Pass overwrite=True"):
        save_articles(four, folder, partition_by="month")
    pd.testing.assert_frame_equal(by_id(read_articles(folder)), by_id(allsides))
    save_articles(four, folder, partition_by="month", overwrite=True)
    back = read_articles(folder)
    assert len(back) == 4
    pd.testing.assert_frame_equal(by_id(back), by_id(four))
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # nothing left beside it
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "draft.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"\['draft\.txt'\], which are not part of"):
        save_articles(four, notes, partition_by="month", overwrite=True)
    assert (notes / "draft.txt").read_text(encoding="utf-8") == "keep me"
