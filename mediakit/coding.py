"""Manual content analysis: samples for human coding, coding sheets, intercoder reliability.

Most media studies validate automated measures against human coding. The workflow:

1. :func:`sample_for_coding` draws a reproducible (stratified) sample and keeps the
   stratum sizes, so that estimates can be weighted back to the corpus;
2. :func:`export_coding_sheet` writes one sheet per coder (CSV files or one XLSX workbook);
3. :func:`read_codings` reads the filled sheets back into a tidy frame
   [article_id, coder, variable, value];
4. :func:`reliability` reports Krippendorff's alpha, percent agreement and kappas per variable;
5. :func:`validate_measure` compares an automated measure with the coders' consensus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from mediakit._deprecation import renamed_parameters
from mediakit._validation import as_list, require_columns

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")
SHEET_COLUMNS = ("article_id", "outlet", "published", "title", "url", "excerpt", "coder")
CODEBOOK_SHEET = "codebook"


# --------------------------------------------------------------------------- sampling


def _allocate(sizes: pd.Series, n: int, allocation: str) -> pd.Series:
    """Integer sample sizes per stratum that sum to ``n`` and never exceed a stratum's size."""
    if allocation == "proportional":
        quotas = sizes * n / sizes.sum()
        taken = np.floor(quotas).astype(int)
        # largest remainder; ties broken by stratum order, so the result is deterministic
        order = (quotas - taken).sort_values(ascending=False, kind="stable").index
        for key in order[: n - int(taken.sum())]:
            taken[key] += 1
        return taken
    taken = pd.Series(0, index=sizes.index)
    remaining = n
    while remaining > 0:
        open_strata = sizes.index[taken < sizes]
        share, extra = divmod(remaining, len(open_strata))
        for i, key in enumerate(open_strata):
            add = min(share + (1 if i < extra else 0), int(sizes[key] - taken[key]))
            taken[key] += add
            remaining -= add
    return taken


@renamed_parameters("0.2", "0.4", strata="by")
def sample_for_coding(
    articles: pd.DataFrame,
    n: int,
    *,
    by: str | Sequence[str] | None = None,
    allocation: Literal["proportional", "equal"] = "proportional",
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Draw a reproducible sample of articles for human coding.

    Parameters
    ----------
    articles : DataFrame
        An article frame (needs a unique ``article_id``).
    n : int
        Sample size, at most the number of articles.
    by : str or list of str, optional
        Column(s) whose values are the strata, for example ``"lean"`` or
        ``["outlet", "month"]`` (``strata=`` before 0.2).
    allocation : {"proportional", "equal"}
        Proportional gives each stratum its share of ``n`` (largest-remainder rounding, so
        the sizes add up to ``n`` exactly); equal gives each stratum the same number, as far
        as its size allows.
    random_state : int, Generator or None
        Seed. The same seed gives the same sample whatever the row order of ``articles``.

    Returns
    -------
    DataFrame
        The sampled rows with ``stratum``, ``stratum_size`` (articles in the stratum),
        ``stratum_sample_size`` and ``weight`` (stratum_size / stratum_sample_size, the
        design weight for estimates), sorted by stratum and article_id.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> sample = mk.sample_for_coding(articles, 30, by="lean", random_state=1)
    >>> sample.groupby("stratum", observed=True)["stratum_sample_size"].first()
    stratum
    center     10
    left        8
    right      12
    Name: stratum_sample_size, dtype: int64
    """
    if "article_id" not in articles.columns or not articles["article_id"].is_unique:
        raise ValueError(
            "sample_for_coding needs a unique 'article_id' column to sample reproducibly; "
            "load articles with mediakit.load_articles(...) or add one."
        )
    if not isinstance(n, (int, np.integer)) or not 0 < n <= len(articles):
        raise ValueError(
            f"The 'n' parameter of sample_for_coding must be an int in the range "
            f"[1, {len(articles)}] (the number of articles). Got {n!r} instead."
        )
    if allocation not in ("proportional", "equal"):
        raise ValueError(
            "The 'allocation' parameter of sample_for_coding must be 'proportional' or "
            f"'equal'. Got {allocation!r} instead."
        )
    columns = as_list(by)
    require_columns(articles, columns, "by")
    frame = articles.sort_values("article_id", kind="stable")
    if columns:
        keys = frame[columns].astype("string").fillna("(missing)")
        stratum = keys.agg(" / ".join, axis=1) if len(columns) > 1 else keys[columns[0]]
    else:
        stratum = pd.Series("all", index=frame.index)
    stratum = stratum.astype(str)
    sizes = stratum.value_counts().sort_index()
    if allocation == "equal" and n < len(sizes):
        raise ValueError(
            f"Equal allocation needs n >= the number of strata ({len(sizes)}). Got n={n}; "
            "raise n or use allocation='proportional'."
        )
    taken = _allocate(sizes, int(n), allocation)
    rng = np.random.default_rng(random_state)
    picked = []
    for key in sizes.index:  # sorted strata, rows sorted by article_id: order-independent
        rows = stratum.index[stratum.to_numpy() == key]
        chosen = rng.choice(len(rows), size=int(taken[key]), replace=False)
        picked.extend(rows[np.sort(chosen)])
    sample = frame.loc[picked].copy()
    sample["stratum"] = stratum.loc[picked].to_numpy()
    sample["stratum_size"] = sample["stratum"].map(sizes).astype("int64")
    sample["stratum_sample_size"] = sample["stratum"].map(taken).astype("int64")
    sample["weight"] = sample["stratum_size"] / sample["stratum_sample_size"]
    return sample.sort_values(["stratum", "article_id"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- sheets


def _excerpt(text: Any, words: int) -> str:
    if not isinstance(text, str):
        return ""
    tokens = text.split()
    return " ".join(tokens[:words]) + (" …" if len(tokens) > words else "")


def _codebook(variables: Sequence[str] | Mapping[str, Any]) -> pd.DataFrame:
    if isinstance(variables, str) or not isinstance(variables, (Sequence, Mapping)):
        raise TypeError(
            "The 'variables' parameter must be a list of variable names or a dict "
            "{name: allowed values or description}. Got "
            f"{type(variables).__name__} instead."
        )
    items = variables.items() if isinstance(variables, Mapping) else ((v, "") for v in variables)
    rows = []
    for name, spec in items:
        if name in SHEET_COLUMNS:
            raise ValueError(f"Variable name {name!r} clashes with a sheet column; rename it.")
        values = spec if isinstance(spec, str) else ", ".join(str(v) for v in spec)
        rows.append({"variable": str(name), "values": values})
    if not rows:
        raise ValueError("The 'variables' parameter is empty: name at least one variable to code.")
    return pd.DataFrame(rows)


def export_coding_sheet(
    sample: pd.DataFrame,
    path: str | Path,
    *,
    variables: Sequence[str] | Mapping[str, Any],
    coders: Sequence[str] = ("coder_1", "coder_2"),
    excerpt_words: int = 200,
) -> list[Path]:
    """Write coding sheets: one row per article, one empty column per variable, one sheet per coder.

    Parameters
    ----------
    sample : DataFrame
        Articles to code, e.g. from :func:`sample_for_coding`.
    path : str or Path
        ``.csv`` writes one file per coder (``sheet_coder_1.csv``, ...); ``.xlsx`` writes one
        workbook with a sheet per coder and a ``codebook`` sheet (needs openpyxl:
        ``pip install "mediakit[excel]"``).
    variables : list of str or dict
        Variables to code; a dict maps each to its allowed values (a list) or a description.
    coders : list of str
        Coder names; each gets their own sheet so nobody sees another's codes.
    excerpt_words : int
        Words of the text shown in the ``excerpt`` column.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> sample = mk.sample_for_coding(mk.datasets.load_allsides(), 4, random_state=0)
    >>> folder = tempfile.mkdtemp()
    >>> paths = mk.export_coding_sheet(sample, f"{folder}/sheet.csv", variables=["frame"])
    >>> [p.name for p in paths]
    ['sheet_coder_1.csv', 'sheet_coder_2.csv']
    """
    path = Path(path)
    codebook = _codebook(variables)
    if not coders or len(set(coders)) != len(coders):
        raise ValueError(f"The 'coders' parameter needs distinct names. Got {list(coders)!r}.")
    if "article_id" not in sample.columns:
        raise ValueError("The sample has no 'article_id' column; sheets are keyed by it.")
    published = sample.get("published", pd.Series(pd.NaT, index=sample.index))
    base = pd.DataFrame(
        {
            "article_id": sample["article_id"].astype(str),
            "outlet": sample.get("outlet", pd.Series(pd.NA, index=sample.index)),
            "published": pd.to_datetime(published, utc=True).dt.strftime("%Y-%m-%d"),
            "title": sample.get("title", pd.Series(pd.NA, index=sample.index)),
            "url": sample.get("url", pd.Series(pd.NA, index=sample.index)),
            "excerpt": sample.get("text", pd.Series(pd.NA, index=sample.index)).map(
                lambda t: _excerpt(t, excerpt_words)
            ),
        }
    ).reset_index(drop=True)
    sheets = {}
    for coder in coders:
        sheet = base.assign(coder=coder)
        for name in codebook["variable"]:
            sheet[name] = ""
        sheets[coder] = sheet
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        written = []
        for coder, sheet in sheets.items():
            target = path.with_name(f"{path.stem}_{coder}.csv")
            sheet.to_csv(target, index=False)
            written.append(target)
        path.with_name(f"{path.stem}_codebook.csv").write_text(
            codebook.to_csv(index=False), encoding="utf-8"
        )
        return written
    if suffix == ".xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise ImportError(
                "Writing .xlsx coding sheets needs openpyxl: pip install 'mediakit[excel]', "
                "or export to .csv instead."
            ) from None
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for coder, sheet in sheets.items():
                sheet.to_excel(writer, sheet_name=coder[:31], index=False)
            codebook.to_excel(writer, sheet_name=CODEBOOK_SHEET, index=False)
        return [path]
    raise ValueError(
        f"The 'path' parameter must end in .csv or .xlsx. Got {str(path)!r}; "
        "choose one of these formats."
    )


def _typed(values: pd.Series) -> pd.Series:
    """Numbers back as numbers (ints where integral), everything else as text."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all() and len(values):
        if (numeric == numeric.round()).all():
            return numeric.astype("int64").astype(object)
        return numeric.astype(object)
    return values.astype(str).astype(object)


def read_codings(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read filled coding sheets back into a tidy frame [article_id, coder, variable, value].

    Accepts the CSV files or XLSX workbook written by :func:`export_coding_sheet`. Empty
    cells (not coded) are left out; numeric codes come back as numbers.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> sample = mk.sample_for_coding(mk.datasets.load_allsides(), 2, random_state=0)
    >>> folder = tempfile.mkdtemp()
    >>> paths = mk.export_coding_sheet(sample, f"{folder}/s.csv", variables=["tone"])
    >>> import pandas as pd
    >>> for p in paths:
    ...     sheet = pd.read_csv(p, dtype=str)
    ...     sheet["tone"] = "neutral"
    ...     sheet.to_csv(p, index=False)
    >>> mk.read_codings(paths).shape
    (4, 4)
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    sheets: list[pd.DataFrame] = []
    for path in map(Path, paths):
        if not path.exists():
            raise FileNotFoundError(f"Coding sheet {str(path)!r} does not exist.")
        if path.suffix.lower() == ".xlsx":
            book = pd.read_excel(path, sheet_name=None, dtype=object)
            sheets.extend(s for name, s in book.items() if name != CODEBOOK_SHEET)
        elif path.suffix.lower() == ".csv":
            sheets.append(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))
        else:
            raise ValueError(f"Cannot read coding sheet {str(path)!r}: expected .csv or .xlsx.")
    rows = []
    for sheet in sheets:
        missing = {"article_id", "coder"} - set(sheet.columns)
        if missing:
            raise ValueError(
                f"A coding sheet lacks the column(s) {sorted(missing)}; keep the columns that "
                "export_coding_sheet wrote."
            )
        variables = [c for c in sheet.columns if c not in SHEET_COLUMNS]
        long = sheet.melt(
            id_vars=["article_id", "coder"], value_vars=variables, var_name="variable"
        )
        long = long[long["value"].notna() & (long["value"].astype(str).str.strip() != "")]
        rows.append(long)
    if not rows:
        return pd.DataFrame(columns=["article_id", "coder", "variable", "value"])
    codings = pd.concat(rows, ignore_index=True)
    codings["article_id"] = codings["article_id"].astype(str)
    codings["coder"] = codings["coder"].astype(str)
    codings["value"] = codings.groupby("variable", group_keys=False)["value"].transform(_typed)
    return codings.sort_values(["variable", "coder", "article_id"], kind="stable").reset_index(
        drop=True
    )


# --------------------------------------------------------------------------- reliability


def _value_counts_by_unit(units: pd.Series, values: pd.Series) -> pd.DataFrame:
    """Units × values matrix of how many coders gave each value (units with >= 2 codes)."""
    table = pd.crosstab(units, values)
    return table[table.sum(axis=1) >= 2]


def _delta(values: np.ndarray, totals: np.ndarray, level: str) -> np.ndarray:
    """Squared difference function delta²(c, k) of Krippendorff's alpha."""
    if level == "nominal":
        return 1.0 - np.eye(len(values))
    numbers = values.astype(float)
    c, k = np.meshgrid(numbers, numbers, indexing="ij")
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        with np.errstate(invalid="ignore", divide="ignore"):
            out = ((c - k) / (c + k)) ** 2
        return np.nan_to_num(out)
    # ordinal: sum of the marginals between the two ranks, minus half the ends
    cumulative = np.concatenate([[0.0], np.cumsum(totals)])
    i, j = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
    low, high = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[high + 1] - cumulative[low]
    return (between - (totals[i] + totals[j]) / 2) ** 2


def krippendorff_alpha(
    codings: pd.DataFrame,
    *,
    level: Level = "nominal",
    unit: str = "article_id",
    coder: str = "coder",
    value: str = "value",
) -> float:
    """Krippendorff's alpha for one variable from tidy codings (missing codes simply absent).

    Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": a coincidence
    matrix over all pairable values (units coded by at least two coders), and
    ``alpha = 1 - (n - 1) * sum(o_ck * delta²_ck) / sum(n_c * n_k * delta²_ck)``.

    Examples
    --------
    The paper's example C: four coders, twelve units, missing values.

    >>> import numpy as np, pandas as pd
    >>> nan = np.nan
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> codings = pd.DataFrame(data).stack().rename("value").reset_index()
    >>> codings.columns = ["coder", "article_id", "value"]
    >>> [round(krippendorff_alpha(codings, level=lv), 3) for lv in ("nominal", "ordinal", "interval")]
    [0.743, 0.815, 0.849]
    """
    if level not in LEVELS:
        raise ValueError(
            f"The 'level' parameter must be one of {list(LEVELS)}. Got {level!r} instead."
        )
    data = codings[[unit, coder, value]].dropna()
    if level != "nominal":
        numeric = pd.to_numeric(data[value], errors="coerce")
        if numeric.isna().any():
            bad = data.loc[numeric.isna(), value].iloc[0]
            raise ValueError(
                f"Level {level!r} needs numeric codes; got {bad!r}. Use level='nominal' for "
                "categories, or recode the values as numbers."
            )
        data = data.assign(**{value: numeric})
    counts = _value_counts_by_unit(data[unit], data[value])
    if counts.empty:
        return float("nan")
    n_uc = counts.to_numpy(dtype=float)
    m_u = n_uc.sum(axis=1, keepdims=True)
    # coincidences: pairs of values within a unit, each unit weighted by 1 / (m_u - 1)
    coincidence = (n_uc / (m_u - 1)).T @ n_uc - np.diag((n_uc / (m_u - 1)).sum(axis=0))
    totals = coincidence.sum(axis=1)
    n = totals.sum()
    delta = _delta(counts.columns.to_numpy(), totals, level)
    expected = (np.outer(totals, totals) * delta).sum()
    if expected == 0:
        return float("nan")  # no variation at all: alpha undefined
    return float(1 - (n - 1) * (coincidence * delta).sum() / expected)


def _fleiss_kappa(counts: pd.DataFrame) -> float:
    """Fleiss' kappa over units that every coder coded (equal ratings per unit)."""
    table = counts.to_numpy(dtype=float)
    per_unit = table.sum(axis=1)
    if len(table) == 0 or per_unit.min() < 2:
        return float("nan")
    m = per_unit[0]
    p_j = table.sum(axis=0) / table.sum()
    p_i = ((table * (table - 1)).sum(axis=1)) / (m * (m - 1))
    p_e = (p_j**2).sum()
    return float((p_i.mean() - p_e) / (1 - p_e)) if p_e < 1 else float("nan")


def reliability(
    codings: pd.DataFrame,
    *,
    unit: str = "article_id",
    coder: str = "coder",
    value: str = "value",
    variable: str = "variable",
    level: Level | Mapping[str, Level] = "nominal",
) -> pd.DataFrame:
    """Intercoder reliability per variable.

    Parameters
    ----------
    codings : DataFrame
        Tidy codings, one row per unit × coder × variable (as :func:`read_codings` returns).
        A missing code is a missing row (or NA value).
    unit, coder, value, variable : str
        Column names.
    level : str or dict
        Level of measurement for Krippendorff's alpha ("nominal", "ordinal", "interval",
        "ratio"), for all variables or per variable.

    Returns
    -------
    DataFrame
        One row per variable: ``alpha`` (Krippendorff), ``percent_agreement`` (share of
        agreeing pairs among all pairable values), ``cohen_kappa`` (exactly two coders, units
        both coded), ``fleiss_kappa`` (units coded by every coder), ``n_units`` (units with at
        least two codes), ``n_coders``, ``n_values`` (pairable codes) and ``level``.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({
    ...     "article_id": [1, 1, 2, 2, 3, 3, 4, 4],
    ...     "coder": ["a", "b"] * 4,
    ...     "variable": "tone",
    ...     "value": ["pos", "pos", "neg", "neg", "neg", "pos", "neu", "neu"]})
    >>> reliability(codings)[["variable", "alpha", "percent_agreement", "n_units"]]
      variable     alpha  percent_agreement  n_units
    0     tone  0.666667               0.75        4
    """
    required = [unit, coder, value] + ([variable] if variable in codings.columns else [])
    missing = [c for c in (unit, coder, value) if c not in codings.columns]
    if missing:
        raise ValueError(
            f"The codings have no column(s) {missing} (columns: {list(codings.columns)}); "
            "pass unit=, coder=, value= to name yours."
        )
    data = codings[required].dropna(subset=[value])
    if variable not in data.columns:
        data = data.assign(**{variable: value})
    rows = []
    for name, group in data.groupby(variable, sort=True):
        lv = level.get(str(name), "nominal") if isinstance(level, Mapping) else level
        duplicated = group.duplicated([unit, coder])
        if duplicated.any():
            raise ValueError(
                f"Variable {name!r}: a coder coded the same unit more than once "
                f"({group.loc[duplicated, [unit, coder]].iloc[0].tolist()}); keep one code each."
            )
        alpha = krippendorff_alpha(group, level=lv, unit=unit, coder=coder, value=value)
        counts = _value_counts_by_unit(group[unit], group[value].astype(str))
        n_uc = counts.to_numpy(dtype=float)
        pairs = (n_uc * (n_uc.sum(axis=1, keepdims=True) - 1)).sum()
        agreeing = (n_uc * (n_uc - 1)).sum()
        coders = sorted(group[coder].astype(str).unique())
        wide = group.assign(**{coder: group[coder].astype(str)}).pivot(
            index=unit, columns=coder, values=value
        )
        complete = wide.dropna()
        cohen = float("nan")
        if len(coders) == 2 and len(complete):
            from sklearn.metrics import cohen_kappa_score

            first, second = complete.iloc[:, 0].astype(str), complete.iloc[:, 1].astype(str)
            if first.nunique() > 1 or second.nunique() > 1:
                cohen = float(cohen_kappa_score(first, second))
        fleiss = _fleiss_kappa(
            pd.crosstab(complete.stack().index.get_level_values(0), complete.stack().astype(str))
        )
        rows.append(
            {
                "variable": name,
                "level": lv,
                "alpha": alpha,
                "percent_agreement": float(agreeing / pairs) if pairs else float("nan"),
                "cohen_kappa": cohen,
                "fleiss_kappa": fleiss,
                "n_units": len(counts),
                "n_coders": len(coders),
                "n_values": int(n_uc.sum()),
            }
        )
    columns = ["variable", "alpha", "percent_agreement", "cohen_kappa", "fleiss_kappa"]
    return pd.DataFrame(rows)[columns + ["n_units", "n_coders", "n_values", "level"]]


# --------------------------------------------------------------------------- validation


def consensus(
    codings: pd.DataFrame, *, unit: str = "article_id", value: str = "value"
) -> pd.Series:
    """The majority code per unit; units whose top codes tie are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({"article_id": [1, 1, 1, 2, 2], "coder": list("abcab"),
    ...                         "value": ["x", "x", "y", "x", "y"]})
    >>> consensus(codings).to_dict()
    {1: 'x'}
    """
    counts = codings.dropna(subset=[value]).groupby([unit, value]).size()
    if counts.empty:
        return pd.Series(dtype=object, name="consensus")
    top = counts.groupby(level=0).transform("max")
    winners = counts[counts == top].reset_index()
    unique = winners.groupby(unit)[value].agg(["first", "size"])
    return unique.loc[unique["size"] == 1, "first"].rename("consensus")


def validate_measure(
    codings: pd.DataFrame,
    measure: pd.Series | pd.DataFrame,
    *,
    variable: str | None = None,
    kind: Literal["auto", "category", "count"] = "auto",
    unit: str = "article_id",
) -> pd.DataFrame:
    """How well an automated measure agrees with the human consensus.

    Parameters
    ----------
    codings : DataFrame
        Tidy codings [article_id, coder, (variable,) value].
    measure : Series or DataFrame
        The automated value per article: a Series indexed by article_id, or a frame with
        ``article_id`` and one other column (e.g. a column of :func:`mediakit.count_terms`).
    variable : str, optional
        Which coded variable to compare with (needed when codings hold several).
    kind : {"auto", "category", "count"}
        "category" reports precision, recall and F1 per category plus their macro mean;
        "count" reports Pearson and Spearman correlations and the mean absolute error.
        "auto" picks "count" when both sides are numeric with more than two values.

    Returns
    -------
    DataFrame
        For categories: [category, precision, recall, f1, support] with a last row
        "(macro)"; for counts: one row [n_units, pearson_r, spearman_rho, mae]. The number of
        compared units and of units left out (no consensus or no measure) are in ``attrs``.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({"article_id": ["a", "a", "b", "b", "c", "c"],
    ...                         "coder": ["x", "y"] * 3, "value": [1, 1, 0, 0, 1, 1]})
    >>> measure = pd.Series({"a": 1, "b": 1, "c": 1})
    >>> validate_measure(codings, measure, kind="category")[["category", "precision", "recall"]]
       category  precision  recall
    0         0   0.000000     0.0
    1         1   0.666667     1.0
    2   (macro)   0.333333     0.5
    """
    data = codings
    if "variable" in codings.columns:
        names = codings["variable"].unique()
        if variable is None and len(names) > 1:
            raise ValueError(
                f"The codings hold several variables {sorted(map(str, names))}; pass variable= "
                "to say which one the measure estimates."
            )
        if variable is not None:
            data = codings[codings["variable"] == variable]
            if data.empty:
                raise ValueError(f"No codings for variable {variable!r}.")
    human = consensus(data, unit=unit)
    if isinstance(measure, pd.DataFrame):
        others = [c for c in measure.columns if c != unit]
        if unit not in measure.columns or len(others) != 1:
            raise ValueError(
                f"A measure frame needs an {unit!r} column and exactly one value column; got "
                f"columns {list(measure.columns)}."
            )
        measure = measure.set_index(unit)[others[0]]
    human.index = human.index.astype(str)
    machine = measure.copy()
    machine.index = machine.index.astype(str)
    joined = pd.concat([human.rename("human"), machine.rename("machine")], axis=1, join="inner")
    joined = joined.dropna()
    if joined.empty:
        raise ValueError(
            "No article has both a human consensus and a measure value; check that the "
            "measure is indexed by the same article_id values as the codings."
        )
    numeric = all(
        pd.to_numeric(joined[c], errors="coerce").notna().all() for c in ("human", "machine")
    )
    if kind == "auto":
        many = joined["human"].nunique() > 2 or joined["machine"].nunique() > 2
        kind = "count" if numeric and many else "category"
    if kind == "count":
        h = pd.to_numeric(joined["human"]).astype(float)
        m = pd.to_numeric(joined["machine"]).astype(float)
        result = pd.DataFrame(
            [
                {
                    "n_units": len(joined),
                    "pearson_r": h.corr(m),
                    "spearman_rho": h.corr(m, method="spearman"),
                    "mae": float((h - m).abs().mean()),
                }
            ]
        )
    else:
        truth, predicted = joined["human"].astype(str), joined["machine"].astype(str)
        rows = []
        for category in sorted(set(truth) | set(predicted)):
            tp = int(((predicted == category) & (truth == category)).sum())
            fp = int(((predicted == category) & (truth != category)).sum())
            fn = int(((predicted != category) & (truth == category)).sum())
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows.append(
                {
                    "category": category,
                    "precision": precision,
                    "recall": recall,
                    "f1": f1,
                    "support": tp + fn,
                }
            )
        result = pd.DataFrame(rows)
        macro = result[["precision", "recall", "f1"]].mean()
        result.loc[len(result)] = {"category": "(macro)", **macro, "support": int(len(truth))}
        result.attrs["accuracy"] = float((truth == predicted).mean())
    result.attrs["n_units"] = len(joined)
    result.attrs["n_left_out"] = int(len(set(human.index) ^ set(machine.index)))
    return result
