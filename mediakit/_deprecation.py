"""Renamed parameters keep working for two minor releases, with a warning that names the new one.

The policy (README, "Names and deprecations"): a renamed parameter is accepted under its old
name for two minor releases after the rename, with a ``FutureWarning`` (shown by default,
unlike ``DeprecationWarning``) that says the new name and the release that removes the old
one; then the old name raises ``TypeError``. Every rename is listed in CHANGELOG.md.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def renamed_parameters(since: str, removed_in: str, **renames: str) -> Callable[[F], F]:
    """Accept ``old=`` for ``new=`` (given as ``old="new"``), warning once per call.

    Examples
    --------
    >>> @renamed_parameters("0.2", "0.4", seed="random_state")
    ... def draw(*, random_state=None):
    ...     return random_state
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     draw(seed=3)
    3
    >>> print(caught[0].message)
    draw(seed=...) is deprecated since mediakit 0.2 and will be removed in 0.4; use draw(random_state=...).
    """

    def decorate(function: F) -> F:
        name = function.__qualname__.replace(".__init__", "")

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(
                        f"{name}() got both {old}= and {new}=; {old} is the deprecated name of "
                        f"{new}: pass only {new}=."
                    )
                warnings.warn(
                    f"{name}({old}=...) is deprecated since mediakit {since} and will be "
                    f"removed in {removed_in}; use {name}({new}=...).",
                    FutureWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def positional_deprecated(since: str, removed_in: str, *names: str) -> Callable[[F], F]:
    """Accept ``names`` positionally (after the data argument) for a while, warning.

    For parameters that became keyword-only: ``f(data, "M")`` still means
    ``f(data, freq="M")`` with a ``FutureWarning``.
    """

    def decorate(function: F) -> F:
        qualname = function.__qualname__
        method = "." in qualname
        fixed = 2 if method else 1  # self and the data argument stay positional

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            extra = args[fixed:]
            if extra:
                if len(extra) > len(names):
                    raise TypeError(
                        f"{qualname}() takes {fixed} positional arguments but {len(args)} "
                        "were given"
                    )
                for name, value in zip(names, extra, strict=False):
                    if name in kwargs:
                        raise TypeError(f"{qualname}() got multiple values for {name!r}")
                    kwargs[name] = value
                given = ", ".join(f"{n}=..." for n in names[: len(extra)])
                warnings.warn(
                    f"Passing {', '.join(names[: len(extra)])} to {qualname}() by position is "
                    f"deprecated since mediakit {since} and will be removed in {removed_in}; "
                    f"pass it by name: {qualname}(..., {given}).",
                    FutureWarning,
                    stacklevel=2,
                )
            return function(*args[:fixed], **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
