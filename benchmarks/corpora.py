"""Large corpora for speed and memory benchmarks (see :func:`mediakit.datasets.recombined_allsides`)."""

from mediakit.datasets import recombined_allsides

__all__ = ["recombined_allsides"]
