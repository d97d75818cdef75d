"""Bounded training history: per-epoch values kept in a fixed amount of memory.

The newest points are kept exactly; older points are merged into buckets of equal size
(each bucket holds the mean epoch and the mean values of the points it replaced), and the
bucket size doubles whenever the buckets would outgrow their share. A run of a million
epochs therefore costs the same memory as a run of ten thousand.

``ParameterPath`` keeps the path one or two watched parameters took, for the cost landscape.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np

from ..engine.network import Network
from ..explain.cost_landscape import Param

CAPACITY = 10_000
RECENT = 2_000


class History:
    """Rows of ``columns`` values, one row per x (an epoch), in bounded memory.

    At most ``capacity`` rows are kept; the latest ``recent`` rows are always exact, older
    rows are means over buckets of equally many original rows.
    """

    def __init__(self, columns: int, capacity: int = CAPACITY, recent: int = RECENT) -> None:
        if not 0 < recent < capacity // 2:
            raise ValueError(f"recent: expected 0 < recent < capacity / 2, got {recent}")
        self.columns = columns
        self.capacity = capacity
        self.recent = recent
        self.clear()

    def clear(self) -> None:
        """Forget every row."""
        self._x = np.zeros(self.capacity)                     # sum of x over a bucket
        self._y = np.zeros((self.capacity, self.columns))     # sums of the values
        self._count = np.ones(self.capacity)                  # original rows per bucket
        self._n = 0
        self.width = 1                                        # rows per full old bucket
        self.compactions = 0                                  # merges so far
        self._before_compaction: dict[str, np.ndarray] | None = None

    def append(self, x: float, values: Sequence[float]) -> None:
        """Add one row: the values at ``x`` (x must not decrease)."""
        if self._n == self.capacity:
            self._compact()
        self._x[self._n] = x
        self._y[self._n] = values
        self._n += 1

    def _compact(self) -> None:
        """Merge everything but the latest ``recent`` rows into buckets of ``width`` rows,
        doubling ``width`` until the buckets fill at most the capacity left by the recent rows
        and as many free rows."""
        self._before_compaction = self.state()     # for rewind() past this merge
        self.compactions += 1
        stop = self._n - self.recent
        counts = self._count[:stop]
        before = np.cumsum(counts) - counts         # original rows ahead of each bucket
        while True:
            group = before // self.width
            starts = np.flatnonzero(np.diff(group, prepend=-1.0))
            if len(starts) <= self.capacity - 2 * self.recent:
                break
            self.width *= 2
        merged = len(starts)
        x = np.add.reduceat(self._x[:stop], starts)
        y = np.add.reduceat(self._y[:stop], starts, axis=0)
        count = np.add.reduceat(counts, starts)
        for array, head in ((self._x, x), (self._y, y), (self._count, count)):
            array[merged:merged + self.recent] = array[stop:self._n]
            array[:merged] = head
        self._count[merged + self.recent:] = 1.0
        self._n = merged + self.recent

    def drop_after(self, x: float) -> None:
        """Forget the latest rows beyond ``x``, as far as they are exact (recent) rows."""
        while self._n and self._count[self._n - 1] == 1.0 and self._x[self._n - 1] > x:
            self._n -= 1

    def mark(self) -> tuple[int, int]:
        """Where the history stands now, for ``rewind``."""
        return self.compactions, self._n

    def rewind(self, mark: tuple[int, int]) -> None:
        """Go back to exactly the rows at ``mark`` (taken at most one merge ago): rows
        appended since are forgotten, a merge since is undone."""
        compactions, n = mark
        if self.compactions == compactions + 1 and self._before_compaction is not None:
            before = self._before_compaction
            self.load_state(before)
            self.compactions = compactions
        elif self.compactions != compactions:
            raise ValueError("history: cannot go back past more than one merge")
        self._n = n

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, values): x of shape (n,) ascending, values of shape (n, columns); new
        read-only arrays of bucket means."""
        count = self._count[:self._n]
        x = self._x[:self._n] / count
        y = self._y[:self._n] / count[:, None]
        x.setflags(write=False)
        y.setflags(write=False)
        return x, y

    def state(self) -> dict[str, np.ndarray]:
        """Everything needed to rebuild this history exactly, as named arrays."""
        return {"x": self._x[:self._n].copy(), "y": self._y[:self._n].copy(),
                "count": self._count[:self._n].copy(), "width": np.array(self.width)}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore what ``state()`` returned; ValueError, naming the array at fault, if
        ``state`` does not fit this history."""
        for key in ("x", "y", "count", "width"):
            if key not in state:
                raise ValueError(f"missing array {key!r}")
        x, y, count = (np.asarray(state[key], dtype=np.float64) for key in ("x", "y", "count"))
        n = len(x) if x.ndim == 1 else -1
        if (not 0 <= n <= self.capacity or y.shape != (n, self.columns) or count.shape != (n,)
                or not np.all(count >= 1)):
            raise ValueError(f"expected at most {self.capacity} rows of {self.columns} values, "
                             f"got shapes {x.shape} and {y.shape}")
        width = np.asarray(state["width"])
        if width.shape != () or width.dtype.kind not in "iu" or width < 1:
            raise ValueError(f"width: expected an integer >= 1, got {width.tolist()!r}")
        self.clear()
        self._x[:n], self._y[:n], self._count[:n] = x, y, count
        self._n = n
        self.width = int(width)


class ParameterPath:
    """The values of one or two ``params`` at the end of each epoch, the latest ``length``
    epochs: ``points`` holds (epoch, values) pairs, oldest first."""

    def __init__(self, params: tuple[Param, ...], length: int) -> None:
        self.params = params
        self.points: deque[tuple[int, tuple[float, ...]]] = deque(maxlen=length)

    def values(self, net: Network) -> tuple[float, ...]:
        """The watched parameters' values in ``net`` now."""
        # The parameters were checked when chosen: index them directly, since this runs
        # after every epoch.
        return tuple(float((net.weights if kind == "w" else net.biases)[l - 1][tuple(index)])
                     for kind, l, *index in self.params)

    def drop_after(self, epoch: int) -> None:
        """Forget the points of epochs after ``epoch`` (training went back)."""
        while self.points and self.points[-1][0] > epoch:
            self.points.pop()

    def record(self, epoch: int, net: Network) -> None:
        """Add the values at the end of ``epoch``. Points of epochs now undone (training went
        back) are dropped; after a jump (a resumed session) the path starts again."""
        points = self.points
        while points and points[-1][0] >= epoch:
            points.pop()
        if points and points[-1][0] < epoch - 1:
            points.clear()
        points.append((epoch, self.values(net)))
