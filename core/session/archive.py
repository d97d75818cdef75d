"""A ``.npz`` archive read without trusting it: its members' names, shapes and types first,
their data only when asked.

A session file comes from anywhere. Opening one here reads only a regular file within a size
limit, refuses a zip directory of more than ``max_members`` entries before ``zipfile`` parses
it, and reads every member's ``.npy`` header (never its data) to check that the size the zip
declares is exactly what the header's shape and type need. The caller compares those shapes
with what it expects and only then reads the arrays, each within its declared size. Any
fault raises ``ArchiveError`` with what is wrong, or ``OSError`` from opening the file.
"""

from __future__ import annotations

import math
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib import format as npy

from ..files import open_regular
from ..text import excerpt, quoted

_END = b"PK\x05\x06"             # the end of central directory record
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"   # the zip64 end of central directory locator, just before it
_ZIP64_LOCATOR_SIZE = 20
_DIRECTORY_ENTRY_BYTES = 1024    # generous for one member's entry in the central directory
_HEADER_BYTES = 10_000           # numpy's own limit for an .npy header
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)   # both decompress within bounds


class ArchiveError(ValueError):
    """An archive that cannot be read as it is: the message says what is wrong."""


@dataclass(frozen=True)
class Member:
    """One array of the archive as its ``.npy`` header declares it."""

    name: str                  # without ".npy"
    shape: tuple[int, ...]
    dtype: np.dtype
    info: zipfile.ZipInfo


class NpzArchive:
    """An open ``.npz`` file whose members' headers have been read and checked.

    ``members`` maps each array's name to its ``Member``. Use as a context manager.
    """

    def __init__(self, path: Path | str, limit: int, max_members: int) -> None:
        self._file = open_regular(path, limit)
        try:
            magic = self._file.read(2)
            if not magic:
                raise ArchiveError("empty file")
            if magic != b"PK":
                raise ArchiveError("not a session file (not an .npz archive)")
            _check_directory(self._file, max_members)
            self._zip = _corrupted(zipfile.ZipFile, self._file)
            infos = self._zip.infolist()
            if len(infos) > max_members:
                raise ArchiveError(f"{len(infos)} arrays, at most {max_members}")
            self.members: dict[str, Member] = {}
            for info in infos:
                member = _corrupted(self._header, info)
                if member.name in self.members:
                    raise ArchiveError(f"array {quoted(member.name)} appears twice")
                self.members[member.name] = member
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> NpzArchive:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def _header(self, info: zipfile.ZipInfo) -> Member:
        if not info.filename.endswith(".npy") or info.is_dir():
            raise ArchiveError(f"{quoted(info.filename)}: not an array (.npy)")
        name = info.filename[:-len(".npy")]
        if info.compress_type not in _COMPRESSIONS:
            raise ArchiveError(f"{quoted(name)}: compressed in a way this program never "
                               f"writes")
        with self._zip.open(info) as stream:
            version = npy.read_magic(stream)
            read_header = {(1, 0): npy.read_array_header_1_0,
                           (2, 0): npy.read_array_header_2_0}.get(version)
            if read_header is None:
                raise ArchiveError(f"{quoted(name)}: .npy format {version} is not read here")
            shape, _, dtype = read_header(stream, max_header_size=_HEADER_BYTES)
            header_size = stream.tell()
        if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
            raise ArchiveError(f"{quoted(name)}: expected numbers or text, got {dtype}")
        size = header_size + math.prod(shape) * dtype.itemsize
        if info.file_size != size:
            raise ArchiveError(f"{quoted(name)}: the archive says {info.file_size:,} bytes, "
                               f"its shape {shape} needs {size:,}")
        return Member(name, tuple(shape), dtype, info)

    def read(self, name: str) -> np.ndarray:
        """The array ``name`` (its declared size was checked when the archive opened)."""
        member = self.members[name]
        return _corrupted(self._read, member)

    def _read(self, member: Member) -> np.ndarray:
        with self._zip.open(member.info) as stream:
            array = npy.read_array(stream, allow_pickle=False, max_header_size=_HEADER_BYTES)
            if stream.read(1):         # reading to the end also checks the CRC
                raise ArchiveError(f"{quoted(member.name)}: longer than its header says")
        if array.shape != member.shape or array.dtype != member.dtype:
            raise ArchiveError(f"{quoted(member.name)}: changed while it was read")
        return array


def _corrupted(read, *args):
    """``read(*args)``, any fault of damaged bytes raised as "truncated or corrupted"."""
    try:
        return read(*args)
    except (ArchiveError, OSError):
        raise
    except Exception as error:  # zipfile, zlib and numpy raise many kinds on damaged bytes
        raise ArchiveError(f"truncated or corrupted ({excerpt(str(error), 80)})") from None


def _check_directory(file, max_members: int) -> None:
    """Refuse a zip whose central directory is larger than ``max_members`` entries need,
    before ``zipfile`` reads it (it makes an object of every entry)."""
    size = file.seek(0, 2)
    tail_size = min(size, _END_SIZE + 0xFFFF + _ZIP64_LOCATOR_SIZE)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        raise ArchiveError("truncated or corrupted (no zip directory at its end)")
    if at >= _ZIP64_LOCATOR_SIZE and \
            tail[at - _ZIP64_LOCATOR_SIZE:at - _ZIP64_LOCATOR_SIZE + 4] == _ZIP64_LOCATOR:
        raise ArchiveError("a zip64 archive, which this program never writes")
    entries, directory_size = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries > max_members or directory_size > max_members * _DIRECTORY_ENTRY_BYTES:
        raise ArchiveError(f"{entries:,} arrays ({directory_size:,} bytes of zip directory), "
                           f"at most {max_members}")
