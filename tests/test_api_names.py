"""One name per idea across the public API (the README's naming table), old names deprecated."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import mediakit as mk

#: Names replaced by the naming table, and what replaced them.
RETIRED = {
    "seed": "random_state",
    "strata": "by",
    "max_workers": "n_jobs",
    "column": "by",
    "date": "date_column",
    "n_components": "lsa_dims",
}


def public_callables():
    for name in mk.__all__:
        obj = getattr(mk, name)
        if inspect.isclass(obj):
            yield name, obj.__init__
            for attr, member in vars(obj).items():
                if callable(member) and not attr.startswith("_"):
                    yield f"{name}.{attr}", member
        elif callable(obj):
            yield name, obj
    yield "datasets.recombined_allsides", mk.datasets.recombined_allsides


def test_no_public_function_uses_a_retired_name():
    offenders = [
        f"{name}({param})"
        for name, function in public_callables()
        for param, spec in inspect.signature(function).parameters.items()
        # scikit-learn reads an estimator's parameters from __init__'s signature, so a
        # renamed one stays there, defaulting to "deprecated", as scikit-learn does
        if param in RETIRED and spec.default != "deprecated"
    ]
    assert offenders == []


def test_freq_and_grouping_columns_are_keywords_everywhere():
    for name, function in public_callables():
        # after the data argument (the first one, self aside), options are keywords
        options = [p for p in inspect.signature(function).parameters.values() if p.name != "self"]
        for spec in options[1:]:
            if spec.name in (
                "freq",
                "by",
                "date_column",
                "top_n",
                "random_state",
                "n_jobs",
                "client",
            ):
                assert spec.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}({spec.name})"


def test_old_names_still_work_with_a_future_warning(tmp_path):
    with pytest.warns(FutureWarning, match=r"recombined_allsides\(seed=\.\.\.\)"):
        old = mk.datasets.recombined_allsides(20, seed=4)
    pd.testing.assert_frame_equal(old, mk.datasets.recombined_allsides(20, random_state=4))
    with (
        pytest.warns(FutureWarning, match=r"fetch_articles\(max_workers=\.\.\.\)"),
        pytest.raises(ValueError, match="n_jobs must be an integer >= 1, got 0"),
    ):
        mk.fetch_articles(["http://127.0.0.1:9/a"], cache_dir=tmp_path, max_workers=0)
