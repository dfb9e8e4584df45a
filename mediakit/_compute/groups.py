"""Group codes: which group of ``by`` values each row belongs to, in one order everywhere."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd


def group_codes(frame: pd.DataFrame, keys: Sequence[Hashable]) -> tuple[np.ndarray, pd.DataFrame]:
    """A group code per row and one row of key values per code.

    Groups are the observed combinations of values, sorted (categories in their order,
    missing values form a group of their own, last), as ``DataFrame.groupby(keys,
    sort=True, observed=True, dropna=False)`` numbers them. Key columns keep the dtype
    of ``frame``. Without keys every row is in group 0 and the keys frame has one row
    and no columns.

    Examples
    --------
    >>> frame = pd.DataFrame({"lean": pd.array(["right", None, "left", "right"], dtype="string")})
    >>> codes, keys = group_codes(frame, ["lean"])
    >>> codes.tolist(), keys["lean"].tolist()
    ([1, 2, 0, 1], ['left', 'right', <NA>])
    """
    keys = list(keys)
    if not keys:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1))
    codes, uniques = [], []
    for key in keys:
        code, unique = pd.factorize(frame[key], sort=True, use_na_sentinel=False)
        codes.append(np.asarray(code, dtype=np.int64))
        uniques.append(pd.Index(unique))
    if len(keys) == 1:
        inverse, parts = codes[0], [np.arange(len(uniques[0]))]
    else:
        shape = [len(u) for u in uniques]
        observed, inverse = np.unique(np.ravel_multi_index(codes, shape), return_inverse=True)
        parts = list(np.unravel_index(observed, shape))
        inverse = inverse.reshape(-1)
    columns = {
        key: pd.Series(unique.take(part), dtype=frame[key].dtype)
        for key, unique, part in zip(keys, uniques, parts, strict=True)
    }
    frame_of_keys = pd.DataFrame(columns, columns=pd.Index(keys, dtype=object))
    return np.asarray(inverse, dtype=np.int64), frame_of_keys
