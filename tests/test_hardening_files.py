"""Issue 11, the files: every file the CLI reads is capped in size and nesting and read the
same way (a byte-order mark accepted), and --output / --save-problem fail with one line —
never a traceback, never a half-written or stray file, never a FIFO, device or private
file's permissions replaced."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import time
import tomllib
from decimal import Decimal

import pytest

from dlsolve.core import data_file
from dlsolve.core import output
from dlsolve.checking import answers_file
from dlsolve.core.inputs import InputError
from dlsolve.core.problem_file import read_table

LIMIT = data_file.MAX_DEPTH


def dlsolve(*args: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """dlsolve in a real process (the shell's files: /dev/zero, FIFOs, read-only mounts)."""
    return subprocess.run([sys.executable, "-m", "dlsolve", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def refused(result: subprocess.CompletedProcess, message: str) -> None:
    """The bad-input contract: exit 2, one line naming the problem, nothing on stdout."""
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


def nested(depth: int) -> str:
    """``depth`` arrays one inside the other around a 1 (TOML and JSON alike)."""
    return "[" * depth + "1" + "]" * depth


# --- nesting ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, text", [
    ("deep.toml", f"lr = {nested(1000)}\n"),
    ("deep.json", f'{{"lr": {nested(100_000)}}}'),
    ("tables.toml", "lr = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n"),
    ("objects.json", '{"lr": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}"),
    ("unclosed.json", "[" * 100_000),
])
def test_deep_problem_files_are_refused_before_parsing(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    started = time.perf_counter()
    refused(dlsolve("backprop", "-p", str(tmp_path / name)), f"--problem: {tmp_path / name} is nested too deeply (more than {LIMIT} levels)")
    assert time.perf_counter() - started < 20  # start-up included; the refusal itself takes milliseconds


@pytest.mark.parametrize("name, text", [
    ("deep.toml", 'command = "som-train"\n[answers]\nwinners.1 = ' + nested(1000) + "\n"),
    ("deep.json", '{"command": "som-train", "answers": {"winners.1": ' + nested(100_000) + "}}"),
])
def test_deep_answers_files_are_refused(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    refused(dlsolve("check", str(tmp_path / name)), f"{name}: is nested too deeply (more than {LIMIT} levels)")


def test_a_key_of_50000_dotted_parts_is_refused_at_once(tmp_path):
    # tomllib took 17 s and 1.8 GB on it before it was refused
    (tmp_path / "keys.toml").write_text("a" + ".a" * 49_999 + " = 1\n", encoding="utf-8")
    (tmp_path / "answers.toml").write_text('[answers]\nx' + ".x" * 49_999 + " = 1\n", encoding="utf-8")
    started = time.perf_counter()
    refused(dlsolve("backprop", "-p", str(tmp_path / "keys.toml")), f"has a key of more than {LIMIT} dotted parts")
    refused(dlsolve("check", str(tmp_path / "answers.toml")), f"has a key of more than {LIMIT} dotted parts")
    assert time.perf_counter() - started < 20


def test_the_limits_are_exact(tmp_path):
    """64 levels of brackets read (as tomllib and json read them), 65 refused (JSON's outer
    braces are a level); the same for the parts of a key."""
    at_limit = {"x.toml": f"x = {nested(LIMIT)}\n", "x.json": f'{{"x": {nested(LIMIT - 1)}}}',
                "k.toml": "k" + ".k" * (LIMIT - 1) + " = 1\n", "i.toml": f"x = {{a = {nested(LIMIT - 1)}}}\n"}
    for name, text in at_limit.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        expected = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
        assert data_file.read(str(tmp_path / name), "--problem", "problem file") == expected
    beyond = {"x.toml": f"x = {nested(LIMIT + 1)}\n", "x.json": f'{{"x": {nested(LIMIT)}}}',
              "k.toml": "k" + ".k" * LIMIT + " = 1\n", "i.toml": f"x = {{a = {nested(LIMIT)}}}\n"}
    for name, text in beyond.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="more than 64"):
            data_file.read(str(tmp_path / name), "--problem", "problem file")


def test_inline_tables_cannot_stack_dotted_keys_past_the_limit(tmp_path):
    # each key has 40 parts and each level of brackets is shallow: only the document read is too deep
    key = ".".join(["k"] * 40)
    (tmp_path / "stacked.toml").write_text(f"{key} = {{{key} = {{{key} = 1}}}}\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"nested too deeply \\(more than {LIMIT} levels\\)"):
        data_file.read(str(tmp_path / "stacked.toml"), "--problem", "problem file")


@pytest.mark.parametrize("text", [
    'description = "' + "[" * 500 + '"\nlr = 0.5\n',                      # brackets in a string
    "# " + "[{" * 500 + "\nlr = 0.5\n",                                    # in a comment
    "description = '''\n" + "]" * 100 + "\n'''\nlr = [[0.5]]\n",            # in a multi-line literal string
    'description = "\\"' + "[" * 100 + '\\\\"\nlr = 0.5\n',                # after escaped quotes and backslashes
    'description = "' + "." * 200 + '"\nlr = 0.5\n',                       # dots in a string are no key
    "lr = [" + ", ".join(["0.5"] * 5000) + "]\n",                           # many numbers
])
def test_brackets_and_dots_that_are_not_nesting_do_not_count(tmp_path, text):
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    assert read_table(str(tmp_path / "p.toml")) == tomllib.loads(text)


def test_brackets_hidden_in_strings_do_not_hide_nesting(tmp_path):
    # closers inside strings must not cancel the openers around them
    (tmp_path / "p.toml").write_text("lr = " + '["]", ' * (LIMIT + 1) + "1" + "]" * (LIMIT + 1) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        read_table(str(tmp_path / "p.toml"))


# --- size -------------------------------------------------------------------------------


def test_the_size_cap_admits_the_largest_exercise():
    """A 2048-1024-10 backprop written out in full — 2048·1024 + 1024·10 weights, 2048
    inputs, 10 targets (hand count: 2,109,450 numbers), each as repr writes a float in
    [-1, 1] (at most 20 characters: "-0.1234567890123456") plus ", " — must fit."""
    numbers = 2048 * 1024 + 1024 * 10 + 2048 + 10
    assert numbers == 2_109_450
    assert numbers * (20 + 2) < data_file.MAX_BYTES == 64 * 2**20


def test_dev_zero_is_refused_without_reading_it_all():
    started = time.perf_counter()
    refused(dlsolve("backprop", "-p", "/dev/zero"), "--problem: /dev/zero is larger than 64 MiB (the limit for problem files)")
    refused(dlsolve("check", "/dev/zero"), "/dev/zero: is larger than 64 MiB (the limit for answers files)")
    assert time.perf_counter() - started < 30


def test_a_108_mb_answers_file_is_refused(tmp_path):
    big = tmp_path / "class.toml"
    with open(big, "wb") as file:  # sparse: 108 MB on paper, nothing on disk
        file.truncate(108_000_000)
    refused(dlsolve("check", str(big)), "is larger than 64 MiB")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_are_read_up_to_the_cap(tmp_path):
    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"exec cat /dev/zero > '{fifo}'"])  # endless
    try:
        refused(dlsolve("backprop", "-p", str(fifo)), "is larger than 64 MiB")
    finally:
        writer.kill()
        writer.wait()
    writer = subprocess.Popen(["sh", "-c", f"printf 'lr = 0.25\\n' > '{fifo}'"])  # a small problem through a pipe
    result = dlsolve("backprop", "-p", str(fifo), "-f", "json")
    writer.wait()
    assert result.returncode == 0 and json.loads(result.stdout)["inputs"]["lr"] == 0.25


def test_the_cap_is_exact(tmp_path, monkeypatch):
    monkeypatch.setattr(data_file, "MAX_BYTES", 100)
    monkeypatch.setattr(data_file, "_CHUNK", 7)  # several small reads after the first
    path = tmp_path / "p.toml"
    path.write_text("lr = 0.5" + " " * 92, encoding="utf-8")  # 100 bytes
    assert read_table(str(path)) == {"lr": 0.5}
    path.write_text("lr = 0.5" + " " * 93, encoding="utf-8")  # 101 bytes
    with pytest.raises(InputError, match="larger than"):
        read_table(str(path))


# --- one reader: the byte-order mark, the messages ------------------------------------


@pytest.mark.parametrize("name, text", [("p.toml", "lr = 0.25\n"), ("p.json", '{"lr": 0.25}'), ("p.txt", "lr = 0.25\n")])
def test_a_byte_order_mark_is_accepted_in_problem_files(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = dlsolve("backprop", "-p", str(path), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["inputs"]["lr"] == 0.25


def test_problem_and_answers_files_are_read_alike(tmp_path):
    text = 'command = "som-train"\n[answers]\nwinners.1 = 1\nhistory.1 = [[0.72, 0.20]]\n'
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    assert answers_file.read(str(tmp_path / "a.toml")).answers == {"winners.1": 1, "history.1": [[Decimal("0.72"), Decimal("0.20")]]}
    assert read_table(str(tmp_path / "a.toml")) == tomllib.loads(text)  # floats for problem files
    with pytest.raises(InputError, match="is a directory, not a problem file"):
        read_table(str(tmp_path))
    with pytest.raises(InputError, match="is a directory, not an answers file"):
        answers_file.read(str(tmp_path))


# --- writing: -o '', -o folder/, --force --------------------------------------------------


@pytest.mark.parametrize("args, option", [
    (["backprop", "-o", ""], "--output"),
    (["practice", "--seed", "1", "-o", ""], "--output"),
    (["practice", "--seed", "1", "--save-problem", ""], "--save-problem"),
])
def test_an_empty_output_path_is_refused(tmp_path, args, option):
    refused(dlsolve(*args, cwd=tmp_path), f"{option}: empty path; give a file name")
    assert os.listdir(tmp_path) == []


def test_an_empty_output_path_is_refused_by_check(tmp_path):
    (tmp_path / "a.toml").write_text('command = "som-train"\n[answers]\nwinners.1 = 1\n', encoding="utf-8")
    refused(dlsolve("check", "a.toml", "-o", "", cwd=tmp_path), "--output: empty path")


def test_a_path_ending_in_a_separator_must_be_a_folder(tmp_path):
    refused(dlsolve("backprop", "-o", "newdir/", cwd=tmp_path), "--output: newdir/ ends in / but there is no such folder")
    assert os.listdir(tmp_path) == []
    (tmp_path / "dir").mkdir()
    refused(dlsolve("backprop", "-o", "dir/", "--force", cwd=tmp_path), "--output: dir/ is a directory")


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_force_keeps_the_replaced_files_permissions(tmp_path, mode):
    target = tmp_path / "private.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    output.write_atomic(str(target), "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert os.listdir(tmp_path) == ["private.md"]


def test_a_new_file_gets_the_umask_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        output.write_atomic(str(tmp_path / "new.md"), "x", force=False)
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give a file to another owner")
def test_force_keeps_the_replaced_files_owner(tmp_path):
    target = tmp_path / "theirs.md"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 12345, 23456)
    output.write_atomic(str(target), "new", force=True)
    assert (target.stat().st_uid, target.stat().st_gid) == (12345, 23456)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_force_never_replaces_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    refused(dlsolve("backprop", "-o", "pipe", "--force", cwd=tmp_path), "--output: pipe is not a regular file; --force replaces files only")
    refused(dlsolve("practice", "--seed", "1", "--save-problem", "pipe", "--force", cwd=tmp_path), "--save-problem: pipe is not a regular file")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode) and os.listdir(tmp_path) == ["pipe"]


def test_force_never_replaces_a_device(tmp_path):
    # a private copy of /dev/null: the real one is never put at risk by this test
    try:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    refused(dlsolve("backprop", "-o", "null", "--force", cwd=tmp_path), "--output: null is not a regular file")
    assert stat.S_ISCHR(os.lstat(tmp_path / "null").st_mode)


def test_force_replaces_a_link_not_what_it_points_to(tmp_path):
    """The documented choice: the name given is the file written; a link there is replaced,
    the file it pointed to is untouched (a planted link cannot redirect the write)."""
    pointed = tmp_path / "elsewhere.md"
    pointed.write_text("keep me", encoding="utf-8")
    pointed.chmod(0o600)
    (tmp_path / "out.md").symlink_to(pointed)
    refused(dlsolve("backprop", "-o", "out.md", cwd=tmp_path), "--output: out.md exists; add --force")
    result = dlsolve("backprop", "-o", "out.md", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out.md"
    assert not out.is_symlink() and "backprop" in out.read_text(encoding="utf-8").lower()
    assert pointed.read_text(encoding="utf-8") == "keep me"
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere")
    refused(dlsolve("backprop", "-o", "dangling.md", cwd=tmp_path), "dangling.md exists; add --force")
    assert not (tmp_path / "nowhere").exists()


# --- writing where the temporary file cannot be made ------------------------------------


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(30, "Read-only file system"),
                                   OSError(28, "No space left on device")])
def test_a_temporary_file_that_cannot_be_made_is_one_line(tmp_path, monkeypatch, error):
    """Any system: mkstemp failing (read-only folder or mount, no inodes) is an InputError."""
    import tempfile

    def cannot(*args, **kwargs):
        raise error

    monkeypatch.setattr(tempfile, "mkstemp", cannot)
    with pytest.raises(InputError, match=f"--output: cannot write .*out.md: {error.strerror}"):
        output.write_atomic(str(tmp_path / "out.md"), "x", force=False)
    assert os.listdir(tmp_path) == []


@contextlib.contextmanager
def tmpfs(folder, options: str):
    """A tmpfs mounted on ``folder`` with ``options`` (root only: skips otherwise)."""
    folder.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_mount(tmp_path):
    with tmpfs(tmp_path / "ro", "ro,size=1m") as folder:
        refused(dlsolve("backprop", "-o", str(folder / "out.md")), f"--output: cannot write {folder / 'out.md'}: Read-only file system")
        refused(dlsolve("backprop", "-o", "out.md", cwd=folder), "--output: cannot write out.md: Read-only file system")  # relative -o
        refused(dlsolve("practice", "--seed", "1", "--save-problem", "p.toml", cwd=folder), "--save-problem: cannot write p.toml: Read-only file system")
        (tmp_path / "a.toml").write_text('command = "som-train"\n[answers]\nwinners.1 = 1\n', encoding="utf-8")
        refused(dlsolve("check", str(tmp_path / "a.toml"), "-o", str(folder / "r.md")), "Read-only file system")
        assert os.listdir(folder) == []


@pytest.mark.parametrize("options", ["size=1m,nr_inodes=1", "size=4k"])
def test_no_inodes_or_no_space_left(tmp_path, options):
    with tmpfs(tmp_path / "full", options) as folder:
        refused(dlsolve("backprop", "-o", str(folder / "out.md")), "No space left on device")
        assert os.listdir(folder) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into a 0555 folder anyway")
def test_a_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        refused(dlsolve("backprop", "-o", str(folder / "out.md")), "Permission denied")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o755)


def test_the_level_count_agrees_with_a_plain_count():
    """The bytes-speed count against the plain one (the deepest prefix, opened minus closed)
    on random bracket strings around the limit: exact for what a parser could read, never
    short when a stray closer makes the text invalid."""
    import random

    rng = random.Random(11)

    def plain(brackets: bytes) -> tuple[int, bool]:
        """The deepest prefix, and whether a closer ever had no opener (where a parser stops)."""
        depth = deepest = 0
        stray = False
        for c in brackets:
            depth += 1 if c == ord("[") else -1
            deepest, stray = max(deepest, depth), stray or depth < 0
        return deepest, stray

    for _ in range(3000):
        shape = rng.choice(["hills", "random", "balanced"])
        if shape == "hills":
            text = b"".join(b"[" * rng.randint(0, 70) + b"]" * rng.randint(0, 70) for _ in range(rng.randint(1, 6)))
        elif shape == "random":
            text = bytes(rng.choice(b"[[]") for _ in range(rng.randint(0, 200)))
        else:
            depth, out = 0, []
            for _ in range(rng.randint(0, 300)):
                opening = depth == 0 or (depth < 80 and rng.random() < 0.55)
                out.append(b"[" if opening else b"]")
                depth += 1 if opening else -1
            text = b"".join(out) + b"]" * depth
        deepest, stray = plain(text)
        if stray:  # invalid text: it may be refused as too deep too, but never let through when it is
            assert data_file._too_many_levels(text) or deepest <= LIMIT, text
        else:
            assert data_file._too_many_levels(text) == (deepest > LIMIT), text


@pytest.mark.parametrize("args", [("backprop", "--help"), ("check", "--help")])
def test_the_help_states_the_file_limits(cli, args):
    from dlsolve.core.data_file import MAX_BYTES, MAX_DEPTH

    shown = " ".join(cli(*args).stdout.split())
    assert f"at most {MAX_BYTES // 2**20} MiB" in shown and f"nested at most {MAX_DEPTH} deep" in shown
