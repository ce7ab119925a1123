"""Grip's reference files (grip/reference/**.toml): found by name, read, and their sources checked.

Every module that keeps rules or settings as data reads its file here, so a missing file or a
mistyped bracket is reported the same way everywhere: "cannot read grip/reference/chasing/
chasing.toml: not valid TOML at line 3, column 9: ...". Each caller then checks its own keys and
says, in plain English, which key is wrong; `named_source` is the one check that a table says
where its figures come from.

A file is parsed once and kept, per path, until it changes on disk (its size or modification time);
each caller gets its own copy of the data, so nothing a caller does can change what the next one
reads.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"

# tomllib (Python 3.13) gives the position only inside its message: "... (at line 3, column 9)" or
# "... (at end of document)".
_POSITION = re.compile(
    r"^(?P<reason>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$", re.DOTALL
)

_read: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


class ReferenceFileError(ValueError):
    """A reference file cannot be read: missing, not valid TOML, or a table without its source."""


def reference_file(name: str) -> Path:
    """The path of a reference file by its name under grip/reference ("chasing/chasing.toml")."""
    return REFERENCE_DIR / name


def shown(path: Path | str) -> str:
    """How a file is named in an error: from grip/reference for a shipped file, else as given."""
    path = Path(path)
    try:
        return f"grip/reference/{path.resolve().relative_to(REFERENCE_DIR).as_posix()}"
    except ValueError:
        return str(path)


def read_reference(path: Path | str, *, error: type[Exception] = ReferenceFileError) -> dict[str, Any]:
    """The data of the TOML file at `path`, as tomllib reads it.

    Raises `error` (the caller's own error class; ReferenceFileError if none is given) naming the
    file when it is missing or unreadable, and the line and column when it is not valid TOML."""
    path = Path(path)
    try:
        status = os.stat(path)
    except OSError as problem:
        raise error(_cannot_read(path, problem)) from None
    stamp = (status.st_mtime_ns, status.st_size)
    kept = _read.get(path)
    if kept is None or kept[0] != stamp:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except OSError as problem:
            raise error(_cannot_read(path, problem)) from None
        except UnicodeDecodeError:
            raise error(f"cannot read {shown(path)}: it is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as problem:
            raise error(f"cannot read {shown(path)}: not valid TOML {_where_in_file(problem)}") from None
        kept = _read[path] = (stamp, data)
    return copy.deepcopy(kept[1])


def named_source(
    table: Mapping[str, Any], *, key: str, path: Path | str | None = None, error: type[Exception] = ReferenceFileError
) -> str:
    """The `source` of a table of a reference file, which every rule and setting must give: where
    its figures come from (a statute, guidance, a national statistic, or local policy).

    `key` is the table's dotted name in the file ("thresholds.SSW"); the error names `key.source`
    first, then the file when `path` is given."""
    source = table.get("source")
    if not isinstance(source, str) or not source.strip():
        where = f" ({shown(path)})" if path is not None else ""
        raise error(f"{key}.source: say where this comes from (a national source, or local policy){where}")
    return source.strip()


def forget_reference_files() -> None:
    """Read every file afresh next time (the kept data is also refreshed whenever a file changes)."""
    _read.clear()


def _cannot_read(path: Path, problem: OSError) -> str:
    if isinstance(problem, FileNotFoundError):
        return f"cannot read {shown(path)}: there is no such file"
    return f"cannot read {shown(path)}: {problem.strerror or problem}"


def _where_in_file(problem: tomllib.TOMLDecodeError) -> str:
    """ "at line 3, column 9: <reason>", "at the end of the file: <reason>", or "(<reason>)"."""
    found = _POSITION.match(str(problem))
    if found is None:
        return f"({problem})"
    if found["line"] is None:
        return f"at the end of the file: {found['reason']}"
    return f"at line {found['line']}, column {found['column']}: {found['reason']}"
