"""Files replaced in one step: a reader sees the old file or the new one, never half of one.

Saved corpora, the fetch cache and its parsed records are all written this way: to a
temporary file in the target's folder, flushed to disk, then moved over the target with
:func:`os.replace` (atomic on POSIX and Windows within one file system). A writer killed
midway leaves the old file intact and at most a stray ``.<name>.*.tmp`` beside it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], object], *, sync: bool = True) -> None:
    """``write(temporary_path)``, then move the temporary file over ``target`` at once.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> write_atomically(target, lambda tmp: tmp.write_text("kept whole"))
    >>> target.read_text()
    'kept whole'
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        if sync:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomically(target: Path, data: bytes, *, sync: bool = False) -> None:
    """Replace ``target`` by ``data`` in one step (see :func:`write_atomically`)."""
    write_atomically(target, lambda tmp: tmp.write_bytes(data), sync=sync)
