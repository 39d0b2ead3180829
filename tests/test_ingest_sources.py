"""What a build reads: symbolic links kept inside the folder, special files refused without
being opened, and every entry not read named in the output and counted in the summary."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from borderkg import sources
from borderkg.ingest import build
from borderkg.sources import find_sources
from borderkg.store import OxigraphStore

from conftest import report_docx, report_text
from test_robustness import run_cli

OTHER_TITLE = "Отчет о мероприятиях в международной сфере в III квартале 2025 года"


def names(entries) -> dict[str, str]:
    return {Path(path).name: reason for path, reason in entries}


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text(), encoding="utf-8")
    return folder


def test_a_symlink_out_of_the_folder_is_refused_unless_asked(tmp_path, folder, extractor):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(report_text(title=OTHER_TITLE), encoding="utf-8")
    (folder / "linked.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.txt").symlink_to("good.txt")  # the same file: read once
    store = OxigraphStore(tmp_path / "store")
    report = build([folder], store, extractor)
    assert list(map(os.path.basename, report.stored)) == ["good.txt"]
    failed = names(report.failed)
    assert set(failed) == {"linked.txt", "passwd.txt"}
    assert failed["passwd.txt"] == ("a symbolic link to /etc/passwd, outside the folder given: "
                                    "not read (build --follow-symlinks reads it)")
    assert names(report.skipped)["inside.txt"] == f"the same file as {folder / 'good.txt'}, read there"
    assert report.totals["documents"] == 1

    (folder / "passwd.txt").unlink()
    report = build([folder], store, extractor, follow_symlinks=True)
    assert list(map(os.path.basename, report.stored)) == ["linked.txt"] and report.ok
    assert report.totals["documents"] == 2
    store.close()


def test_dangling_and_looping_links_and_special_files_are_named(tmp_path, folder, monkeypatch):
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a folder loop
    (folder / "locked").mkdir()
    (folder / "notes.xlsx").write_bytes(b"x")
    real_scandir = os.scandir

    def scandir(path):  # tests may run as root, which reads any folder
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    found = find_sources([folder])
    assert found.files == [folder / "good.txt"]
    assert names(found.refused) == {
        "dangling.txt": f"a symbolic link to {tmp_path / 'gone.txt'}, which does not exist",
        "loop.txt": "a symbolic link that leads round in a loop",
        "pipe.txt": "a FIFO (named pipe), not a file: refused without opening it",
        "locked": "the folder cannot be read (Permission denied)",
    }
    assert names(found.skipped) == {"up": "the same folder as one searched already (a link?)",
                                    "notes.xlsx": "unsupported file type '.xlsx'"}


def test_a_fifo_named_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    try:
        result = run_cli("build", "--quiet", "--store", str(tmp_path / "store"), str(fifo))
    except subprocess.TimeoutExpired:
        pytest.fail("the build opened the FIFO and hung")
    assert result.returncode == 1
    assert f"error: {fifo}: a FIFO (named pipe), not a file: refused without opening it" in result.stderr
    assert "stored 0 document(s), 0 unchanged, 1 failed, 0 skipped" in result.stdout


def test_every_entry_not_read_is_named_and_counted(tmp_path, folder):
    report_docx(folder / "good.docx")  # the same report as good.txt, in another format
    (folder / "table.xlsx").write_bytes(b"PK")
    result = run_cli("build", "--quiet", "--store", str(tmp_path / "store"), str(folder))
    assert result.returncode == 0, result.stderr  # only skipped entries: not a failure
    assert "stored 1 document(s), 0 unchanged, 0 failed, 2 skipped" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert skipped == [
        f"skipped: {folder / 'table.xlsx'}: unsupported file type '.xlsx'",
        f"skipped: {folder / 'good.txt'}: the same report as {folder / 'good.docx'} (the same text), "
        "which is kept"]

    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    result = run_cli("build", "--quiet", "--store", str(tmp_path / "store"), str(folder))
    assert result.returncode == 1
    assert "stored 0 document(s), 1 unchanged, 1 failed, 2 skipped" in result.stdout
    assert f"error: {folder / 'dangling.txt'}: a symbolic link to {tmp_path / 'gone.txt'}, " \
           "which does not exist" in result.stderr
