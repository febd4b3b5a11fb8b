"""Row blocks: evaluate large score matrices a cache-sized block of options at a time."""

from __future__ import annotations

from collections.abc import Iterator
from math import prod

import numpy as np

#: Floats per block (128 kB): a block's temporaries stay in the CPU cache.
BLOCK_CELLS = 1 << 14
#: Fewest options per block: batched calls (SMAA chunks) are not cut into thin slices.
MIN_ROWS = 256


def row_blocks(scores: np.ndarray, weights: np.ndarray) -> Iterator[slice]:
    """Slices of the option axis of ``scores (..., n, m)``: about :data:`BLOCK_CELLS` cells.

    Leading (sample) axes of ``scores`` and ``weights`` count in a block's size; a
    block holds at least :data:`MIN_ROWS` options, so a batched call over many samples
    (already chunked by its caller) stays one block. Blocks bound the memory of a
    kernel's temporaries, whatever the number of options.

    Examples
    --------
    >>> [(s.start, s.stop) for s in row_blocks(np.zeros((2000, 20)), np.ones(20))]
    [(0, 819), (819, 1638), (1638, 2000)]
    >>> len(list(row_blocks(np.zeros((4096, 100, 10)), np.ones((4096, 10)))))
    1
    """
    n, m = scores.shape[-2:]
    lead = prod(np.broadcast_shapes(scores.shape[:-2], weights.shape[:-1]))
    step = max(MIN_ROWS, BLOCK_CELLS // max(1, m * lead))
    for start in range(0, n, step):
        yield slice(start, min(n, start + step))
