"""The own-corpus notebook runs under papermill on three kinds of input and reports on each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.notebook_runner import NOTEBOOKS, measure_figures

pytestmark = pytest.mark.notebooks

ROOT = NOTEBOOKS.parent


def _run(tmp_path: Path, **parameters: object) -> dict:
    import papermill

    out = tmp_path / "report.ipynb"
    probe = (
        "import json as _json\n"
        "print('__report__' + _json.dumps({'articles': len(articles), 'inputs': len(report), "
        "'statuses': report['status'].astype(str).value_counts().to_dict(), "
        "'dated': len(dated), 'groups': corpus[by].value_counts().to_dict(), "
        "'timeline': int(timeline['count'].sum()) if len(corpus) else None, "
        "'spike_measure': spikes.attrs['value'] if len(corpus) else None, "
        "'topics': None if model is None else len(model.topics_), "
        "'illegible_figures': _figure_faults}))"
    )
    import nbformat

    notebook = nbformat.read(NOTEBOOKS / "00_your_corpus.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    measure_figures(notebook)
    source = tmp_path / "source.ipynb"
    nbformat.write(notebook, source)
    papermill.execute_notebook(
        str(source),
        str(out),
        parameters=parameters,
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    executed = nbformat.read(out, as_version=4)
    for output in executed.cells[-1].outputs:
        if "__report__" in output.get("text", ""):
            values = json.loads(output["text"].split("__report__", 1)[1])
            illegible = values.pop("illegible_figures")
            assert not illegible, f"illegible figures: {illegible}"
            return values
    raise AssertionError("the report probe printed nothing")


def test_bundled_example_folders(tmp_path):
    values = _run(tmp_path)  # the defaults: the copied seed and the saved pages, with a sidecar
    assert values["inputs"] == 7
    assert values["statuses"] == {"loaded": 4, "duplicate": 1, "empty": 1, "unsupported": 1}
    assert values["articles"] == 5
    assert values["dated"] == 5 and sum(values["groups"].values()) == 5
    assert values["timeline"] == 5
    assert values["topics"] is None  # five articles are too few for a topic model


def test_media_cloud_export(tmp_path):
    values = _run(
        tmp_path,
        inputs=["../data/examples/mediacloud_russia_2018-03.csv"],
        metadata=None,
        freq="D",
        n_topics=3,
    )
    assert values["articles"] == 48
    assert values["dated"] == 48 - 7  # seven rows without a usable date (see notebook 01)
    assert len(values["groups"]) >= 2
    assert values["spike_measure"] == "share"
    assert values["topics"] == 3


def test_folder_of_raw_text_captures(tmp_path):
    from mediakit import datasets

    captures = tmp_path / "captures"
    captures.mkdir()
    allsides = datasets.load_allsides().sort_values("article_id").head(40)
    rows = []
    for i, row in enumerate(allsides.itertuples()):
        name = f"capture_{i:03d}.txt"
        (captures / name).write_text(f"{row.title}\n\n{row.text}\n", encoding="utf-8")
        rows.append(f"{name},{row.outlet},{row.published:%Y-%m-%d}")
    sidecar = tmp_path / "sidecar.csv"
    sidecar.write_text("file,outlet,published\n" + "\n".join(rows) + "\n", encoding="utf-8")
    values = _run(
        tmp_path,
        inputs=[str(captures)],
        metadata=str(sidecar),
        group="outlet",
        freq="MS",
        n_topics=4,
        max_groups=4,
    )
    assert values["inputs"] == 40
    assert values["articles"] + values["statuses"].get("duplicate", 0) >= 40 - values[
        "statuses"
    ].get("empty", 0)
    assert values["dated"] == values["articles"]  # the sidecar dates every capture
    assert len(values["groups"]) == 5  # four largest outlets and "other"
    assert values["topics"] == 4
