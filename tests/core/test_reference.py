"""The one loader of reference files (grip.core.reference): missing files, bad TOML and missing
sources are refused naming the file (and the line and column), with small files written here."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from grip.caseloads.rules import CaseloadConfigError
from grip.caseloads.rules import load_rules as load_caseload_rules
from grip.core.reference import (
    REFERENCE_DIR,
    ReferenceFileError,
    named_source,
    read_reference,
    reference_file,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "grip"


class SettingsError(ValueError):
    """Stands for a caller's own error class."""


def write(tmp_path: Path, text: str, name: str = "settings.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_is_read_as_toml(tmp_path):
    path = write(tmp_path, '[escalation]\ndays = 10\nsource = "Local policy"\n')
    assert read_reference(path) == {"escalation": {"days": 10, "source": "Local policy"}}


def test_a_missing_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ReferenceFileError) as refused:
        read_reference(path)
    assert str(refused.value) == f"cannot read {path}: there is no such file"


def test_a_shipped_file_is_named_from_grip_reference():
    with pytest.raises(ReferenceFileError) as refused:
        read_reference(reference_file("chasing/no_such_file.toml"))
    assert str(refused.value) == "cannot read grip/reference/chasing/no_such_file.toml: there is no such file"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        # Line 2 is "[b": the table name ends at the line's end, column 3, where "]" was wanted.
        ("a = 1\n[b\nc = 2\n", 2, 3),
        # Line 1: "x = " then "y", which is not a value, at column 5.
        ("x = y\n", 1, 5),
        # Line 3 is "oops", a key with no "=": the line ends at column 5, where "=" was wanted.
        ('[t]\nsource = "s"\noops\n', 3, 5),
    ],
)
def test_bad_toml_is_refused_naming_the_file_line_and_column(tmp_path, text, line, column):
    path = write(tmp_path, text)
    with pytest.raises(ReferenceFileError) as refused:
        read_reference(path)
    assert str(refused.value).startswith(f"cannot read {path}: not valid TOML at line {line}, column {column}: ")


def test_toml_cut_short_is_refused_at_the_end_of_the_file(tmp_path):
    path = write(tmp_path, "added = [")
    with pytest.raises(ReferenceFileError, match=r"not valid TOML at the end of the file: "):
        read_reference(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ReferenceFileError, match="not UTF-8 text"):
        read_reference(path)


def test_the_callers_own_error_class_is_raised(tmp_path):
    with pytest.raises(SettingsError, match="there is no such file"):
        read_reference(tmp_path / "missing.toml", error=SettingsError)
    with pytest.raises(SettingsError, match="not valid TOML at line 1"):
        read_reference(write(tmp_path, "[a\n"), error=SettingsError)


def test_a_callers_error_names_the_line_of_its_bad_file(tmp_path):
    path = write(tmp_path, "[weights]\nchild_in_need = \n", name="caseloads.toml")
    with pytest.raises(CaseloadConfigError, match=r"caseloads.toml: not valid TOML at line 2, column 17: "):
        load_caseload_rules(path)


def test_a_table_names_its_source():
    assert named_source({"source": "  Local policy default.  "}, key="status") == "Local policy default."


@pytest.mark.parametrize("table", [{}, {"source": ""}, {"source": "   "}, {"source": 15}])
def test_a_table_without_a_source_is_refused_naming_the_key_and_file(tmp_path, table):
    path = tmp_path / "caseloads.toml"
    with pytest.raises(SettingsError) as refused:
        named_source(table, key="thresholds.SSW", path=path, error=SettingsError)
    message = str(refused.value)
    assert message.startswith("thresholds.SSW.source: say where this comes from")
    assert str(path) in message


def test_a_file_changed_on_disk_is_read_again(tmp_path):
    path = write(tmp_path, "days = 10\n")
    assert read_reference(path) == {"days": 10}
    path.write_text("days = 200\n", encoding="utf-8")
    assert read_reference(path) == {"days": 200}
    # Same size, a later modification time: still read again.
    path.write_text("days = 300\n", encoding="utf-8")
    later = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))
    assert read_reference(path) == {"days": 300}


def test_a_caller_changing_its_data_does_not_change_the_next_read(tmp_path):
    path = write(tmp_path, 'counted = ["SICKNESS"]\n[after]\namount = 20\n')
    first = read_reference(path)
    first["counted"].append("FLU")
    first["after"]["amount"] = 1
    assert read_reference(path) == {"counted": ["SICKNESS"], "after": {"amount": 20}}


def test_every_shipped_reference_file_reads():
    # access, allocation, calendar, caseloads, chasing, codelists, frontdoor, timescales, 4 workforce
    # (long-term absence, the census, supervision, the pulse survey), looked after (who leaves care to
    # support), 2 seed
    files = sorted(REFERENCE_DIR.rglob("*.toml"))
    assert len(files) == 15
    for path in files:
        assert isinstance(read_reference(path), dict), path


def test_only_the_loader_reads_toml():
    """A module that reads TOML itself would bring back its own error messages and caching."""
    readers = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if re.search(r"^\s*(import tomllib|from tomllib import)", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert readers == ["core/reference.py"]
