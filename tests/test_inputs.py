"""Value parsing and the command line > problem file > default precedence."""

import pytest

from dlsolve.core.inputs import (Choice, Field, InputError, Integer, Matrix, Number, NumberOrVector, PerItem, Vector,
                            parse_matrix, parse_number, parse_vector, resolve)


def test_vectors_and_matrices():
    assert parse_vector(" 0.05, 0.10 ", "--x") == (0.05, 0.1)
    assert parse_matrix("0.15,0.20; 0.25,0.30", "--w") == ((0.15, 0.2), (0.25, 0.3))
    assert parse_number("−0.5", "--lr") == -0.5  # the notes' minus sign, pasted


@pytest.mark.parametrize("text", ["nan", "inf", "1e999", "0x10", "", "1_000", "abc", "1,2"])
def test_junk_numbers_are_refused(text):
    with pytest.raises(InputError):
        parse_number(text, "--lr")


@pytest.mark.parametrize("text, problem", [("1,,2", "(value 2)"), ("1,2; 3", "row 2 has 1 number but row 1 has 2"),
                                           ("", "is empty"), (";", "row 1")])
def test_bad_matrices_say_where(text, problem):
    with pytest.raises(InputError) as error:
        parse_matrix(text, "--weights")
    assert problem in str(error.value)


def test_file_values_are_typed_strictly():
    with pytest.raises(InputError, match="expected a number, got true/false"):
        Number().read_value(True, "lr in p.toml")
    with pytest.raises(InputError, match="list of rows"):
        Matrix().read_value([1, 2], "w in p.toml")
    assert Vector().read_value("1, 2", "x in p.toml") == (1.0, 2.0)  # CLI syntax inside a file
    assert Integer(low=1).read_value(3.0, "epochs in p.toml") == 3
    assert NumberOrVector().read_value(0.35, "b") == 0.35
    assert PerItem(NumberOrVector()).read_value([0.35, [0.6, 0.7]], "b") == (0.35, (0.6, 0.7))


def test_bounds_and_choices():
    with pytest.raises(InputError, match="must be > 0"):
        Number(low=0, low_inclusive=False).read_text("0", "--lr")
    with pytest.raises(InputError, match="not one of sigmoid, tanh"):
        Choice(("sigmoid", "tanh")).read_text("softmax", "--activation")
    assert Choice(("sigmoid", "tanh")).read_text("TanH", "--activation") == "tanh"


def test_command_line_beats_file_beats_default():
    fields = (Field("lr", Number(), 0.5), Field("epochs", Integer(), 1), Field("x", Vector(), (1.0,)))
    got = resolve(fields, {"lr": "0.1", "epochs": None, "x": None}, {"lr": 0.9, "epochs": 3})
    assert got == {"lr": 0.1, "epochs": 3, "x": (1.0,)}


def test_file_errors_name_the_key_and_file():
    with pytest.raises(InputError) as error:
        resolve((Field("lr", Number(), 0.5),), {}, {"lr": "fast"}, "p.toml")
    assert error.value.where == "lr in p.toml"


def test_one_line_passes_printable_text_as_it_is_and_escapes_the_rest():
    """one_line's short way (``str.isprintable``) is exact: no printable character is one
    it escapes (control, format, surrogate, private-use, unassigned, line and paragraph
    separators; a tab), checked over every code point."""
    import unicodedata

    from dlsolve.core.inputs import one_line

    escaped = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    assert not [hex(cp) for cp in range(0x110000) if chr(cp).isprintable() and unicodedata.category(chr(cp)) in escaped]
    assert one_line("x = 0.5 · (−0.2) µ") == "x = 0.5 · (−0.2) µ"
    assert one_line("a\tb\rc\u2028d\u202e") == "a b\\x0dc\\u2028d\\u202e"
