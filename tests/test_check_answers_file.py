"""Reading answers files: numbers keep the precision they are written with, TOML's dotted
keys become answer keys again, and a broken file is one clear error naming it. The fast
TOML reader must agree with tomllib on everything it reads."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlsolve.checking import toml_subset
from dlsolve.checking.answers_file import read
from dlsolve.core.inputs import InputError


def write(tmp_path, text, name="answers.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_numbers_keep_their_written_precision(tmp_path):
    answers = read(write(tmp_path, 'command = "rbf-xor"\n[answers]\nphi.1 = [1, 0.60, 0.6065, 0.4]\n')).answers
    assert answers["phi.1"] == [1, Decimal("0.60"), Decimal("0.6065"), Decimal("0.4")]
    assert answers["phi.1"][1].as_tuple().exponent == -2  # "0.60": two decimals, not 0.6


def test_dotted_keys_quoted_keys_and_nested_tables_all_give_dotted_answer_keys(tmp_path):
    text = ('command = "som-train"\n[answers]\nhistory.2 = [[0.888, 0.08, 0.352, 0.032], [0.6, 0.7, 0.4, 0.3]]\n'
            '"winners.2" = 1\ndistances . 1 = [0.87, 1.1]\n')
    answers = read(write(tmp_path, text)).answers
    assert list(answers) == ["history.2", "winners.2", "distances.1"]


def test_json_nested_or_flat(tmp_path):
    text = '{"command": "som-train", "answers": {"history": {"2": [[1, 2], [3, 4]]}, "winners.1": 1, "loss_x": 0.60}}'
    file = read(write(tmp_path, text, "a.json"))
    assert file.answers == {"history.2": [[1, 2], [3, 4]], "winners.1": 1, "loss_x": Decimal("0.60")}
    assert file.command == "som-train" and file.inputs is None


def test_inputs_student_and_description(tmp_path):
    text = 'command = "som-train"\nstudent = "Ada"\ndescription = "homework 3"\n[inputs]\nlr = 0.5\n[answers]\nwinners.1 = 1\n'
    file = read(write(tmp_path, text))
    assert file.student == "Ada" and file.inputs == {"lr": 0.5} and isinstance(file.inputs["lr"], float)


def test_a_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes('\ufeffcommand = "som-train"\n[answers]\nwinners.1 = 1\n'.encode("utf-8"))
    assert read(str(path)).answers == {"winners.1": 1}


@pytest.mark.parametrize("text, message", [
    ('command = "som-train"\n[answers\nx = 1\n', "is not valid TOML"),
    ('command = "som-train"\nwinners.1 = 1\n', "unknown top-level key 'winners'"),
    ('command = "som-train"\n', "has no answers"),
    ('command = "som-train"\n[answers]\n', "has no answers"),
    ('command = 3\n[answers]\nx = 1\n', "command must be a command name"),
    ('command = "som-train"\ninputs = 3\n[answers]\nx = 1\n', "inputs must be a table"),
    ('command = "som-train"\n[answers]\nx = {}\n', "answer 'x' is an empty table"),
])
def test_unusable_files_name_the_file_and_the_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read(path)
    assert caught.value.where == path and message in caught.value.problem


def test_missing_files_and_folders(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(str(tmp_path / "nope.toml"))
    with pytest.raises(InputError, match="is a directory"):
        read(str(tmp_path))


def test_json_errors_have_line_and_column(tmp_path):
    with pytest.raises(InputError, match=r"is not valid JSON: .*line 1"):
        read(write(tmp_path, '{"command": "ttest", "answers": {', "a.json"))


# --- the fast TOML reader ------------------------------------------------------------------


def tomllib_or_error(text):
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        return "error"


@pytest.mark.parametrize("text", [
    "a = 1\n", "a = 1.0\nb = -0.25e3\n", "a = [1, 2.50,\n  3]\n", 'a = "x y"\n', "a = true\nb = false\n",
    "[answers]\nh.2 = [[1, 2], [3, 4]]  # a comment\n", '"h.2" = 1\n', "a . b = 1\na.c = 2\n", "a = []\n",
    "# only a comment\n\n[t]\n", "a = 1\r\nb = 2\r\n",
])
def test_the_subset_reads_what_tomllib_reads(text):
    assert repr(toml_subset.parse(text)) == repr(tomllib.loads(text, parse_float=Decimal))  # repr: "2.50" stays 2.50


@pytest.mark.parametrize("text", [
    "a = 01\n", "a = 1.\n", "a = .5\n", "a = +1.0\n", "a = 1_000\n", "a = inf\n", "a = 0x1F\n", "a = 1979-05-27\n",
    'a = "x\\ty"\n', "a = 'lit'\n", "a = [1, # c\n 2]\n", "a = [1, 2,]\n", "a = {b = 1}\n", "a = 1\na = 2\n",
    "a = 1\na.b = 2\n", "[t]\n[t]\n", "[[t]]\n", "a = 1 b = 2\n", "a = NaN\n", 'a = {"b": 1}\n', "a = \x01\n", "a = 1\rb = 2\n",
])
def test_anything_beyond_the_subset_goes_to_tomllib(text):
    assert toml_subset.parse(text) is None


_key = st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True)
_number = st.one_of(st.integers(-10**6, 10**6).map(str),
                    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-1000, max_value=1000).map(lambda d: f"{d:f}"),
                    st.sampled_from(["1e5", "-2.5E-3", "0.0", "-0", "007", "1.", "+3", "true", "false", '"s"', "1_0"]))
_value = st.recursive(_number, lambda inner: st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"), max_leaves=12)
_line = st.one_of(st.tuples(st.lists(_key, min_size=1, max_size=3).map(".".join), _value).map(lambda kv: f"{kv[0]} = {kv[1]}"),
                  st.just("# comment"), st.just(""), st.sampled_from(["[answers]", "[inputs]"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=8).map("\n".join))
def test_the_subset_never_disagrees_with_tomllib(text):
    fast = toml_subset.parse(text)
    if fast is not None:
        assert repr(fast) == repr(tomllib_or_error(text))
