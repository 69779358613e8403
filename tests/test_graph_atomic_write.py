"""write_atomically, which render and step_through use: temporary names, permissions, cleanup."""

import os
import stat
import threading

import pytest

from autograd import Value, render
from autograd.render import write_atomically


def current_umask():
    # os.umask can only be read by setting it, so set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_file_at_old_temporary_name_survives(tmp_path):
    # An earlier version wrote through `.name.<pid>.tmp` and removed that name afterwards, so
    # a file that happened to have it was overwritten and then deleted.
    bystander = tmp_path / f".graph.svg.{os.getpid()}.tmp"
    bystander.write_text("not written by gradiente")

    write_atomically(tmp_path / "graph.svg", b"<svg/>")

    assert bystander.read_text() == "not written by gradiente"
    assert (tmp_path / "graph.svg").read_bytes() == b"<svg/>"


def test_no_temporary_file_is_left(tmp_path):
    write_atomically(tmp_path / "graph.svg", b"first")
    write_atomically(tmp_path / "graph.svg", b"second")

    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]
    assert (tmp_path / "graph.svg").read_bytes() == b"second"


def test_permissions_follow_umask(tmp_path):
    # tempfile.mkstemp would give 0o600 whatever the umask is.
    path = write_atomically(tmp_path / "graph.svg", b"<svg/>")

    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask()


def test_render_permissions_follow_umask(tmp_path):
    path = render(Value(2.0, label="x").exp(), tmp_path / "graph.svg")

    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask()


def test_failed_replace_removes_temporary(tmp_path):
    # A folder where the file should go makes os.replace fail after the data is written.
    (tmp_path / "graph.svg").mkdir()

    with pytest.raises(OSError):
        write_atomically(tmp_path / "graph.svg", b"<svg/>")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]
    assert (tmp_path / "graph.svg").is_dir()


def test_threads_writing_one_path(tmp_path):
    # With one temporary name per process, a thread's os.replace could find its temporary file
    # already moved or removed by another thread.
    target = tmp_path / "graph.svg"
    contents = [f"thread {index}".encode() * 1000 for index in range(8)]
    start = threading.Barrier(len(contents))
    errors = []

    def write(data):
        start.wait()
        try:
            for _ in range(20):
                write_atomically(target, data)
        except OSError as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert target.read_bytes() in contents
    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]
