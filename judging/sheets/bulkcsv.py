"""Byte-level bulk reading of plain score sheets: columns as codes, never one object per cell.

A large score sheet is mostly a repetition of a few thousand ids and a few distinct numbers.
:func:`read_plain` reads such a file on its UTF-8 bytes with numpy, without splitting it into
Python strings:

- the separators (the delimiter and line feeds) are found in one pass; the file is *plain* when
  every line has exactly as many cells as the header (no blank lines), there is no quote, NUL or
  carriage return, and no cell of a kept column starts or ends with whitespace (so stripping
  would change nothing); otherwise :func:`read_plain` returns None and the caller reads the file
  with :func:`judging.sheets.csvio.read_columns`, which gives the same cells;
- each kept column's cells are read as rows of 8-byte words (zero-padded; a file holds no NUL, so
  distinct cells give distinct rows). Runs of equal consecutive cells (long-form sheets list an
  entry's rows together) are collapsed, the run heads are sorted once (stable) and every cell
  gets the code of its value in order of first appearance, as
  :func:`judging.sheets.sheet._factorize` gives for the strings;
- numbers (scores, confidences) are columns of codes too: only their few distinct strings are
  parsed (:mod:`judging.sheets.sheet`), with the same rules as cell by cell.

The result, :class:`Codes`, behaves as the column's list of strings where one is needed
(``codes[i]`` is the i-th cell; error messages only), so the sheet builder takes either.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from judging.sheets.csvio import _columns, sniff_delimiter

__all__ = ["Codes", "PlainColumns", "read_plain"]

_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
"""The low n bytes of a little-endian 8-byte word, n = 0..8."""

_WHITESPACE = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0"


@dataclass(frozen=True, slots=True)
class Codes(Sequence[str]):
    """A column of strings as integer codes into its distinct values (first appearance order):
    cell i is ``names[codes[i]]``."""

    codes: NDArray[np.intp]
    names: list[str]

    def __len__(self) -> int:
        return int(self.codes.size)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self.names[c] for c in self.codes[i].tolist()]
        return self.names[int(self.codes[i])]

    def __contains__(self, value: object) -> bool:
        return value in self.names

    def index(self, value: str, *args) -> int:  # type: ignore[override]
        """The first row holding ``value`` (ValueError when absent)."""
        code = self.names.index(value)
        return int(np.flatnonzero(self.codes == code)[0])

    def strings(self) -> list[str]:
        """Every cell as a string (one object per row: only for small or rare uses)."""
        names = self.names
        return [names[c] for c in self.codes.tolist()]


@dataclass(frozen=True, slots=True)
class PlainColumns:
    """A plain file read in bulk: ``header`` (cleaned column names), where each kept column's
    cells lie in the bytes (read them with :meth:`codes`), and the number of data rows (row i
    is on line i + 2)."""

    file: str
    header: list[str]
    rows: int
    _raw: NDArray[np.uint8]
    _data: bytes
    _start: dict[str, NDArray[np.intp]]
    _length: dict[str, NDArray[np.intp]]

    @property
    def lines(self) -> range:
        """Each data row's 1-based line number."""
        return range(2, self.rows + 2)

    def __contains__(self, column: str) -> bool:
        return column in self._start

    def _words(self, column: str) -> NDArray[np.uint64]:
        """Each cell's bytes as little-endian 8-byte words, zero-padded: shape (rows, m) with
        m = ceil(longest cell / 8); read through an unaligned 8-byte view of the padded
        file, so no byte matrix is built."""
        start, length = self._start[column], self._length[column]
        size = max(-(-int(length.max(initial=0)) // 8), 1)
        view = np.ndarray(
            (len(self._data) - 7,), dtype="<u8", buffer=self._data, offset=0, strides=(1,)
        )
        out = np.empty((start.size, size), dtype=np.uint64)
        for a in range(size):
            left = np.clip(length - 8 * a, 0, 8)
            at = np.minimum(start + 8 * a, view.size - 1)  # past a cell's end: masked to 0
            np.bitwise_and(view[at], _MASKS[left], out=out[:, a])
        return out

    def codes(self, column: str) -> Codes:
        """The column's cells as :class:`Codes` (module docstring)."""
        start, length = self._start[column], self._length[column]
        n = start.size
        if n == 0:
            return Codes(np.zeros(0, dtype=np.intp), [])
        words = self._words(column)
        head = np.empty(n, dtype=bool)
        head[0] = True
        np.not_equal(words[1:, 0], words[:-1, 0], out=head[1:])
        for a in range(1, words.shape[1]):
            head[1:] |= words[1:, a] != words[:-1, a]
        heads = np.flatnonzero(head)
        keys = words if heads.size == n else words[heads]
        found = _few_codes(keys)
        if found is not None:
            run_code, first_runs = found
        else:
            if keys.shape[1] == 1:
                order = np.argsort(keys[:, 0], kind="stable")
            else:
                order = np.lexsort(keys.T[::-1])  # stable: equal keys keep their row order
            ordered = keys[order]
            new = np.empty(order.size, dtype=bool)
            new[0] = True
            np.any(ordered[1:] != ordered[:-1], axis=1, out=new[1:])
            group = np.cumsum(new) - 1
            first = order[new]  # each distinct value's first run (stable sorts)
            by_first = np.argsort(first, kind="stable")
            rank = np.empty(by_first.size, dtype=np.intp)
            rank[by_first] = np.arange(by_first.size)
            run_code = np.empty(heads.size, dtype=np.intp)
            run_code[order] = rank[group]
            first_runs = first[by_first]
        codes = np.repeat(run_code, np.diff(np.append(heads, n)))
        rows = heads[first_runs]
        data = self._data
        names = [
            data[s : s + k].decode("utf-8")
            for s, k in zip(start[rows].tolist(), length[rows].tolist(), strict=True)
        ]
        return Codes(codes, names)


FEW_VALUES = 16
"""A column whose first ``FEW_SAMPLE`` runs hold at most this many distinct values (criteria,
scores on a rating scale, categories) is coded by comparing every run with each value in turn
(:func:`_few_codes`) instead of sorting the runs."""

FEW_SAMPLE = 1000


def _few_codes(keys: NDArray[np.uint64]) -> tuple[NDArray[np.intp], NDArray[np.intp]] | None:
    """(code of each row of ``keys``, the row where each code first appears), codes numbered
    in order of first appearance, when ``keys`` (rows of 8-byte words) holds at most
    ``FEW_VALUES`` distinct rows; None when it holds more (or its first ``FEW_SAMPLE`` rows
    do), leaving it to the sort. Each value costs a few passes over the rows: the first row
    without a code, then every row equal to it."""
    if len(set(map(tuple, keys[:FEW_SAMPLE].tolist()))) > FEW_VALUES:
        return None  # (np.unique with an axis would import numpy.ma, slow to start)
    code = np.full(keys.shape[0], -1, dtype=np.intp)
    firsts: list[int] = []
    at = 0
    while True:
        at += int(np.argmax(code[at:] < 0))
        if code[at] >= 0:  # every row has a code
            return code, np.array(firsts, dtype=np.intp)
        if len(firsts) == FEW_VALUES:
            return None
        same = keys[:, 0] == keys[at, 0]
        for a in range(1, keys.shape[1]):
            same &= keys[:, a] == keys[at, a]
        code[same] = len(firsts)
        firsts.append(at)


def read_plain(
    path: str | os.PathLike[str], required: Sequence[str], optional: Sequence[str] = ()
) -> PlainColumns | None:
    """Read ``path`` in bulk when it is a plain file (module docstring), else None (also when
    it cannot be read: the string path then reports why). The header is checked as
    :func:`judging.sheets.csvio.read_columns` checks it (:class:`InputError` on a bad header)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    # the text lies in data[begin:end] (without a BOM and a final line feed); positions below
    # are into data, so that the file is copied once (padded)
    begin = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    end = len(data) - 1 if data.endswith(b"\n") and len(data) > begin else len(data)
    if b'"' in data or b"\0" in data or b"\r" in data:
        return None
    if not data.isascii() and not (begin and data[begin:].isascii()):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if end <= begin:
        return None
    padded = data + bytes(8)  # so that an 8-byte word can be read at any cell
    cut = data.find(b"\n", begin, end)
    header_end = end if cut < 0 else cut
    head = data[begin:header_end].decode("utf-8")
    delimiter = sniff_delimiter(head)
    columns = _columns(name, head.split(delimiter), required)
    wanted = set(required) | set(optional)
    width = len(columns)
    raw = np.frombuffer(padded, np.uint8)
    body = raw[header_end + 1 : end]
    newline = body == 10
    either = np.empty(body.size + 1, dtype=bool)  # each cell's end, the last one included
    np.equal(body, ord(delimiter), out=either[:-1])
    np.logical_or(either[:-1], newline, out=either[:-1])
    either[-1] = True
    ends = np.flatnonzero(either)
    if cut < 0 or ends.size % width:
        return None
    rows = ends.size // width
    grid = ends.reshape(rows, width)
    if not np.all(newline[grid[:-1, -1]]):
        return None
    if width > 1 and np.any(newline[grid[:, :-1]]):
        return None
    # cells whose first or last byte may be whitespace: found among the body's few bytes that
    # may be (control bytes, space, and any byte of a multi-byte character), not per cell
    blank_ish = np.zeros(256, dtype=bool)
    blank_ish[list(_WHITESPACE)] = True
    blank_ish[0x80:] = True  # a multi-byte character could be Unicode whitespace
    maybe = body <= 0x20
    maybe |= body >= 0x80
    maybe &= ~either[:-1]
    at = np.flatnonzero(maybe)
    del maybe
    at = at[blank_ish[body[at]]]
    at = at[((at == 0) | either[at - 1]) | either[at + 1]]  # a cell's first or last byte
    edge_cells = np.searchsorted(ends, at)  # cell index = row * width + column
    del either
    start_of, length_of = {}, {}
    any_cell = np.zeros(rows, dtype=bool)
    for i, column in enumerate(columns):
        if column not in wanted:
            continue
        if i:
            start = grid[:, i - 1] + 1
        else:  # after the previous row's last cell
            start = np.empty(rows, dtype=grid.dtype)
            start[0] = 0
            start[1:] = grid[:-1, -1] + 1
        k = grid[:, i] - start
        s = start + (header_end + 1)
        for r in sorted(set((edge_cells[edge_cells % width == i] // width).tolist())):
            text = data[s[r] : s[r] + k[r]].decode("utf-8")
            if text != text.strip():
                return None
        start_of[column], length_of[column] = s, k
        any_cell |= k > 0
    if start_of and not any_cell.all():
        return None  # a row without any kept cell may be blank: the string path decides
    return PlainColumns(name, columns, rows, raw, padded, start_of, length_of)
