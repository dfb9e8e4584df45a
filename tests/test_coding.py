"""Manual content analysis: sampling, sheets, reliability, validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.coding import consensus, krippendorff_alpha

NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", worked examples.
EXAMPLE_A = [  # binary, two observers, no missing data: alpha = 0.095
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]
EXAMPLE_B = [list("aabbdcccedda"), list("babbbccceddd")]  # nominal, 2 observers: 0.692
EXAMPLE_C = [  # four observers, missing data
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def tidy(matrix) -> pd.DataFrame:
    frame = pd.DataFrame(matrix)
    long = frame.stack().rename("value").reset_index()
    long.columns = ["coder", "article_id", "value"]
    return long.assign(coder=long["coder"].map(lambda i: f"c{i}"))


@pytest.mark.parametrize(
    ("matrix", "level", "expected"),
    [
        (EXAMPLE_A, "nominal", 0.095),
        (EXAMPLE_B, "nominal", 0.692),
        (EXAMPLE_C, "nominal", 0.743),
        (EXAMPLE_C, "ordinal", 0.815),
        (EXAMPLE_C, "interval", 0.849),
        (EXAMPLE_C, "ratio", 0.797),
    ],
)
def test_alpha_reproduces_krippendorffs_worked_examples(matrix, level, expected):
    assert round(krippendorff_alpha(tidy(matrix), level=level), 3) == expected


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_agrees_with_krippendorff_package(level):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(7)
    matrix = rng.integers(1, 6, size=(3, 40)).astype(float)
    matrix[rng.random(matrix.shape) < 0.15] = np.nan
    ours = krippendorff_alpha(tidy(matrix), level=level)
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_reliability_table_with_two_coders():
    codings = tidy(EXAMPLE_B).assign(variable="frame")
    result = mk.reliability(codings)
    row = result.iloc[0]
    assert row["alpha"] == pytest.approx(0.692, abs=5e-4)
    assert row["n_units"] == 12 and row["n_coders"] == 2 and row["n_values"] == 24
    assert row["percent_agreement"] == pytest.approx(9 / 12)
    from sklearn.metrics import cohen_kappa_score

    assert row["cohen_kappa"] == pytest.approx(cohen_kappa_score(*EXAMPLE_B))


def test_fleiss_kappa_matches_textbook_example():
    # Fleiss (1971)-style check against a direct computation on complete data
    matrix = [[1, 2, 2, 3, 1], [1, 2, 3, 3, 1], [1, 2, 2, 3, 2]]
    result = mk.reliability(tidy(matrix))
    table = np.array([[3, 0, 0], [0, 3, 0], [0, 2, 1], [0, 0, 3], [2, 1, 0]], dtype=float)
    p_j = table.sum(0) / table.sum()
    p_i = ((table * (table - 1)).sum(1)) / (3 * 2)
    expected = (p_i.mean() - (p_j**2).sum()) / (1 - (p_j**2).sum())
    assert result["fleiss_kappa"].iloc[0] == pytest.approx(expected)
    assert np.isnan(result["cohen_kappa"].iloc[0])  # three coders: Cohen's kappa undefined


def test_reliability_errors_are_clear():
    with pytest.raises(ValueError, match=r"no column\(s\) \['coder'\]"):
        mk.reliability(pd.DataFrame({"article_id": [1], "value": [1]}))
    doubled = pd.DataFrame({"article_id": [1, 1], "coder": ["a", "a"], "value": [1, 2]})
    with pytest.raises(ValueError, match="more than once"):
        mk.reliability(doubled)
    with pytest.raises(ValueError, match="'level' parameter"):
        krippendorff_alpha(tidy(EXAMPLE_A), level="cardinal")
    with pytest.raises(ValueError, match="needs numeric codes"):
        krippendorff_alpha(tidy(EXAMPLE_B), level="interval")


def test_sample_is_reproducible_whatever_the_row_order(allsides):
    first = mk.sample_for_coding(allsides, 60, by="lean", random_state=3)
    shuffled = allsides.sample(frac=1, random_state=11)
    second = mk.sample_for_coding(shuffled, 60, by="lean", random_state=3)
    pd.testing.assert_frame_equal(first, second)
    other = mk.sample_for_coding(allsides, 60, by="lean", random_state=4)
    assert set(other["article_id"]) != set(first["article_id"])


def test_strata_sizes_are_exact(allsides):
    sample = mk.sample_for_coding(allsides, 100, by="lean", random_state=0)
    population = allsides["lean"].astype(str).value_counts()
    sizes = sample.groupby("stratum")["article_id"].size()
    assert sizes.sum() == 100
    assert (sample.groupby("stratum")["stratum_sample_size"].first() == sizes).all()
    assert (sample.groupby("stratum")["stratum_size"].first() == population.loc[sizes.index]).all()
    # proportional by largest remainder: each size is the floor or ceiling of its quota
    quotas = population.loc[sizes.index] * 100 / len(allsides)
    assert ((sizes - quotas).abs() < 1).all()
    assert (
        sample["weight"]
        .mul(sizes.reindex(sample["stratum"]).to_numpy())
        .round(6)
        .equals(sample["stratum_size"].astype(float).round(6))
    )


def test_equal_allocation_caps_small_strata(allsides):
    tiny = allsides[allsides["outlet"].isin(["Reuters", "Slate"])]  # 328 and 24 articles
    sample = mk.sample_for_coding(tiny, 60, by="outlet", allocation="equal", random_state=0)
    sizes = sample["outlet"].value_counts()
    assert sizes.to_dict() == {"Reuters": 36, "Slate": 24}


def test_sample_errors(allsides):
    with pytest.raises(ValueError, match=r"'n' parameter.*\[1, 4187\].*Got 5000"):
        mk.sample_for_coding(allsides, 5000)
    with pytest.raises(KeyError, match=r"'by' parameter names column\(s\) \['bias'\].*columns: "):
        mk.sample_for_coding(allsides, 5, by="bias")
    with pytest.warns(FutureWarning, match=r"sample_for_coding\(strata=\.\.\.\) is deprecated"):
        old = mk.sample_for_coding(allsides, 30, strata="lean", random_state=2)
    pd.testing.assert_frame_equal(
        old, mk.sample_for_coding(allsides, 30, by="lean", random_state=2)
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_sheet_round_trip(allsides, tmp_path, suffix):
    sample = mk.sample_for_coding(allsides, 12, by="lean", random_state=5)
    variables = {"tone": ["negative", "neutral", "positive"], "russia_mentioned": [0, 1]}
    paths = mk.export_coding_sheet(
        sample, tmp_path / f"sheet{suffix}", variables=variables, coders=["ana", "ben"]
    )
    rng = np.random.default_rng(0)
    expected = []
    for coder in ["ana", "ben"]:
        for article_id in sample["article_id"]:
            expected.append((article_id, coder, "tone", str(rng.choice(variables["tone"]))))
            expected.append((article_id, coder, "russia_mentioned", int(rng.integers(0, 2))))
    filled = pd.DataFrame(expected, columns=["article_id", "coder", "variable", "value"])
    # fill the sheets the way a coder would: one value per cell
    if suffix == ".csv":
        for path, coder in zip(paths, ["ana", "ben"], strict=True):
            sheet = pd.read_csv(path, dtype=str)
            for variable in variables:
                mine = filled[(filled["coder"] == coder) & (filled["variable"] == variable)]
                sheet[variable] = sheet["article_id"].map(
                    dict(zip(mine["article_id"], mine["value"], strict=True))
                )
            sheet.to_csv(path, index=False)
    else:
        book = pd.read_excel(paths[0], sheet_name=None, dtype=object)
        with pd.ExcelWriter(paths[0], engine="openpyxl") as writer:
            for name, sheet in book.items():
                if name in ("ana", "ben"):
                    for variable in variables:
                        mine = filled[(filled["coder"] == name) & (filled["variable"] == variable)]
                        values = dict(zip(mine["article_id"], mine["value"], strict=True))
                        sheet[variable] = sheet["article_id"].astype(str).map(values)
                sheet.to_excel(writer, sheet_name=name, index=False)
    codings = mk.read_codings(paths)
    key = ["variable", "coder", "article_id"]
    got = codings.sort_values(key).reset_index(drop=True)
    want = filled.sort_values(key).reset_index(drop=True)[got.columns]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["value"].map(type).groupby(got["variable"]).first().to_dict() == {
        "russia_mentioned": int,
        "tone": str,
    }


def test_sheet_has_one_row_per_article_with_excerpt(allsides, tmp_path):
    sample = mk.sample_for_coding(allsides, 5, random_state=0)
    (path,) = mk.export_coding_sheet(
        sample, tmp_path / "s.csv", variables=["frame"], coders=["solo"], excerpt_words=10
    )
    sheet = pd.read_csv(path, dtype=str)
    assert sheet["article_id"].tolist() == sample["article_id"].tolist()
    assert list(sheet.columns[-2:]) == ["coder", "frame"]
    assert sheet["excerpt"].str.split().str.len().max() <= 11  # 10 words + ellipsis
    with pytest.raises(ValueError, match=r"must end in \.csv or \.xlsx"):
        mk.export_coding_sheet(sample, tmp_path / "s.txt", variables=["frame"])


def test_consensus_and_validate_measure_for_categories():
    codings = pd.DataFrame(
        {
            "article_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "coder": ["x", "y"] * 4,
            "value": ["pos", "pos", "neg", "neg", "pos", "neg", "neg", "neg"],
        }
    )
    assert consensus(codings).to_dict() == {"a": "pos", "b": "neg", "d": "neg"}  # c ties
    measure = pd.Series({"a": "pos", "b": "pos", "c": "neg", "d": "neg"})
    result = mk.validate_measure(codings, measure, kind="category")
    by_category = result.set_index("category")
    assert by_category.loc["pos", "precision"] == 0.5
    assert by_category.loc["neg", "recall"] == 0.5
    assert result.attrs["n_units"] == 3
    assert result.attrs["accuracy"] == pytest.approx(2 / 3)


def test_validate_dictionary_counts_against_coders(allsides):
    """A real use: does a dictionary count of Russia terms track coders' counts?"""
    sample = mk.sample_for_coding(allsides, 40, random_state=2)
    truth = sample["text"].str.count(r"(?i)\brussia\w*").astype(int)
    rng = np.random.default_rng(1)
    codings = pd.concat(
        [
            pd.DataFrame(
                {
                    "article_id": sample["article_id"],
                    "coder": coder,
                    "variable": "russia_mentions",
                    "value": truth + rng.integers(-1, 2, len(truth)) * (truth > 0),
                }
            )
            for coder in ("ana", "ben", "cy")
        ]
    )
    measure = pd.DataFrame({"article_id": sample["article_id"], "count": truth})
    result = mk.validate_measure(codings, measure, kind="count")
    assert result["n_units"].iloc[0] >= 30
    assert result["pearson_r"].iloc[0] > 0.9
    alpha = mk.reliability(codings, level="interval")["alpha"].iloc[0]
    assert 0.8 < alpha < 1.0
