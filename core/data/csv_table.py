"""Reading a CSV file in bounded memory: the header, then the columns asked for, compactly.

A CSV file may be anything: a named pipe, 300,000 columns, a 100,000-character cell in a
column nobody uses. ``CsvTable`` reads only a regular file within ``MAX_CSV_BYTES``, at most
``MAX_CSV_COLUMNS`` columns, ``MAX_SAMPLES`` rows and ``MAX_CELL_CHARS`` characters a cell of
the columns it is asked for (a column it is not asked for, free text say, may hold cells as
long as the file), and keeps of each of those only its numbers (8 bytes a cell) and, while
they are few enough to be classes, its distinct values (2 bytes a cell). Every problem raises
``DataError`` on the field ``"path"`` with one line naming the file and, for a bad row, its
line.
"""

from __future__ import annotations

import csv
import io
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..files import open_regular
from ..limits import MAX_CELL_CHARS, MAX_CSV_BYTES, MAX_CSV_COLUMNS, MAX_NEURONS, MAX_SAMPLES
from ..text import excerpt, quoted, shown_path
from .errors import DataError

MAX_LABELS = MAX_NEURONS
"""The most distinct values a column may have to be a class column (one output each)."""

# The csv module refuses a cell over 128 KiB; a column that is not read may hold any cell
# the size limit lets in.
csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))


class _Column:
    """What is kept of one column: its numbers while every cell is one, its distinct values
    while there are at most ``MAX_LABELS``, and where the first odd cells are."""

    def __init__(self) -> None:
        self.numbers: array | None = array("d")
        self.non_number: tuple[int, str] | None = None     # (row, cell)
        self.codes: array | None = array("H")
        self.labels: dict[str, int] = {}
        self.first_empty: int | None = None

    def add(self, row: int, cell: str) -> None:
        """Take in the cell of ``row`` (0-based, after the header)."""
        if not cell and self.first_empty is None:
            self.first_empty = row
        if self.numbers is not None:
            try:
                self.numbers.append(float(cell))
            except ValueError:
                self.numbers, self.non_number = None, (row, cell)
        if self.codes is not None:
            code = self.labels.setdefault(cell, len(self.labels))
            if code < MAX_LABELS:
                self.codes.append(code)
            else:
                self.codes, self.labels = None, {}


class CsvTable:
    """The header of a CSV file and the columns ``keep`` chose from it.

    ``keep(header)`` returns the names of the columns to keep (it may raise to refuse the
    header); None keeps every column. ``header`` holds the stripped column names, ``lines``
    the file's line number of every row.
    """

    def __init__(self, path: Path | str, keep=None) -> None:
        self.path = Path(path)
        self.lines = array("l")
        try:
            with open_regular(self.path, MAX_CSV_BYTES) as raw, \
                    io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as file:
                reader = csv.reader(file)
                self.header = self._read_header(next(reader, []))
                names = self.header if keep is None else keep(self.header)
                self._columns = {self.index(name): _Column() for name in names}
                self._read_rows(reader)
        except FileNotFoundError:
            raise self.unreadable("no such file") from None
        except csv.Error as error:
            raise self.error(reader.line_num, f"not CSV text ({error})") from None
        except UnicodeDecodeError as error:
            raise self.unreadable(f"not UTF-8 text ({error.reason} at byte "
                                  f"{error.start})") from None
        except OSError as error:
            raise self.unreadable(error.strerror or str(error)) from None
        if not self.lines:
            raise self.error(None, "expected at least one row of data after the header")

    @property
    def rows(self) -> int:
        """The number of rows of data."""
        return len(self.lines)

    def error(self, line: int | None, message: str) -> DataError:
        """A DataError on "path" naming the file and, when given, the line."""
        where = excerpt(self.path.name, 80)
        return DataError("path", f"{where}: {message}" if line is None
                         else f"{where} line {line}: {message}")

    def unreadable(self, reason: str) -> DataError:
        """A DataError on "path": the file cannot be read, and why."""
        return DataError("path", f"cannot read {shown_path(self.path)}: {reason}")

    def _read_header(self, header: list[str]) -> tuple[str, ...]:
        if len(header) > MAX_CSV_COLUMNS:
            raise self.error(1, f"{len(header):,} columns, at most {MAX_CSV_COLUMNS:,}")
        header = [name.strip() for name in header]
        if not any(header):
            raise self.error(None, "empty file, expected a header line of column names")
        for name in header:
            if len(name) > MAX_CELL_CHARS:
                raise self.error(1, f"a column name longer than {MAX_CELL_CHARS:,} characters")
        seen: set[str] = set()
        for name in header:
            if name in seen:
                raise self.error(1, f"column {quoted(name)} appears twice in the header")
            seen.add(name)
        self._positions = {name: i for i, name in enumerate(header)}
        return tuple(header)

    def _read_rows(self, reader) -> None:
        width, columns = len(self.header), list(self._columns.items())
        for row in reader:
            if not row:
                continue
            if len(row) != width:
                raise self.error(reader.line_num, f"ragged row, expected {width} values like "
                                                  f"the header, got {len(row)}")
            if len(self.lines) == MAX_SAMPLES:
                raise self.error(reader.line_num, f"more than {MAX_SAMPLES:,} rows of data")
            number = len(self.lines)
            self.lines.append(reader.line_num)
            for j, column in columns:
                if len(row[j]) > MAX_CELL_CHARS:
                    raise self.error(reader.line_num, f"a cell longer than "
                                                      f"{MAX_CELL_CHARS:,} characters")
                column.add(number, row[j].strip())

    # --- the columns ----------------------------------------------------------------------

    def index(self, name: str) -> int:
        """The position of column ``name`` (``KeyError`` if there is none)."""
        return self._positions[name]

    def where(self, row: int, name: str) -> str:
        """The file, line and column of a cell, for messages."""
        return f"{self.path.name} line {self.lines[row]}, column {quoted(name)}"

    def numbers(self, name: str) -> np.ndarray | None:
        """Column ``name`` as float64 numbers (NaN and infinities included), or None if a
        cell is not a number (``non_number`` says which)."""
        column = self._columns[self.index(name)]
        return None if column.numbers is None else np.frombuffer(column.numbers, np.float64)

    def non_number(self, name: str) -> tuple[int, str] | None:
        """(row, cell) of the first cell of column ``name`` that is not a number, if any."""
        return self._columns[self.index(name)].non_number

    def first_empty(self, name: str) -> int | None:
        """The row of the first empty cell of column ``name``, if any."""
        return self._columns[self.index(name)].first_empty

    def labels(self, name: str) -> tuple[np.ndarray, list[str]] | None:
        """Column ``name`` as (one code a row, the distinct values by code), or None when it
        has more than ``MAX_LABELS`` distinct values."""
        column = self._columns[self.index(name)]
        if column.codes is None:
            return None
        return np.frombuffer(column.codes, np.uint16), list(column.labels)

    def checked_numbers(self, names: Iterable[str]) -> np.ndarray:
        """The columns ``names`` as finite numbers, one row per row of data; DataError naming
        the first cell that is not a number or not finite."""
        values = []
        for name in names:
            column = self.numbers(name)
            if column is None:
                row, cell = self.non_number(name)
                raise DataError("path", f"{self.where(row, name)}: expected a number, "
                                        f"got {quoted(cell)}")
            if not np.isfinite(column).all():
                row = int(np.argmin(np.isfinite(column)))
                raise DataError("path", f"{self.where(row, name)}: NaN or infinite value")
            values.append(column)
        return np.column_stack(values) if values else np.zeros((self.rows, 0))


def sorted_labels(labels: Iterable[str]) -> list[str]:
    """Class labels in order: by value when every one is a number, else as text."""
    labels = sorted(set(labels))
    try:
        return sorted(labels, key=float)
    except ValueError:
        return labels


def shown_names(names: Iterable[str], limit: int = 5) -> str:
    """Column names or labels for a message: the first ``limit``, each an excerpt."""
    names = list(names)
    shown = ", ".join(excerpt(name) for name in names[:limit])
    return shown if len(names) <= limit else f"{shown}, ... ({len(names)} in all)"

