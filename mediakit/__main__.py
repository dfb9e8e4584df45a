"""``python -m mediakit``: the ``mediakit`` command (see :mod:`mediakit.cli`)."""

import sys

from mediakit.cli import main

if __name__ == "__main__":
    sys.exit(main())
