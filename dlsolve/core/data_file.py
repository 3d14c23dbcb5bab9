"""Reading a TOML or JSON file a user gives (problem files, answers files): one reader, so
that every such file gets the same limits and the same one-line errors.

Limits, checked before a parser sees the text (a parser recurses into nested values, and
``tomllib`` slows down with the square of a dotted key's parts):

- size: at most :data:`MAX_BYTES` (64 MiB), read without taking more than that plus one
  byte (``/dev/zero`` or an endless FIFO is refused, not slurped). The largest file an exercise
  needs — a 2048-1024-10 backprop with its 2.1 million weights written out at 20
  characters each, as ``--save-problem`` writes them — is about 44 MB;
- nesting: at most :data:`MAX_DEPTH` (64) levels of brackets (arrays and inline tables;
  in JSON the outer ``{`` is one) and keys of at most 64 dotted parts, counted in the text
  before parsing; where inline tables could stack dotted keys, the TOML document read is
  held to 64 levels below its top table too. The deepest file an exercise needs is a list
  of matrices: 3 levels.

A UTF-8 byte-order mark at the start (some Windows editors write one) is dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from io import FileIO
from itertools import accumulate
from typing import Any

from dlsolve.core.inputs import InputError

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
_CHUNK = 64 * 1024  # (below malloc's threshold for a fresh mapping)
TOO_DEEP = f"is nested too deeply (more than {MAX_DEPTH} levels)"

# The nesting is counted on a skeleton of the text, a tenth of its size for a file of numbers:
# its bytes less the escaped backslashes and quotes, keeping only what delimits strings,
# comments, arrays, tables and keys; its strings and comments are then dropped.
_KEPT = b"[]{}\"'#\n.,="
_DROPPED = bytes(sorted(set(range(256)) - set(_KEPT)))
_QUOTED_OR_COMMENT = re.compile(rb'""".*?"""|\'\'\'.*?\'\'\'|"[^"\n]*"|\'[^\'\n]*\'|#[^\n]*', re.S)
_UNIFIED = bytes.maketrans(b"{}", b"[]")  # arrays and tables nest alike
_RUNS = re.compile(rb"\[+|\]+")
_OPENERS = (b'"', b"'", b"#")  # where a string or a comment starts
_FEW_OPENERS = 10_000
_PASSES = 4
_LONG_KEY = b"." * MAX_DEPTH  # in the skeleton, a key of N parts is N - 1 dots in a row


def _refusal(where: str, path: str, problem: str) -> InputError:
    """The error ``where: path problem``, or ``path: problem`` when ``where`` is the path."""
    return InputError(where, problem if where == path else f"{path} {problem}")


def _head(file: FileIO) -> bytes:
    """The file's bytes, but no more than MAX_BYTES + 1: one read of the size the file says
    it has (0 for a FIFO or a device), then small reads until the end (asking for
    MAX_BYTES + 1 at once would allocate that much for every small file)."""
    chunks, size = [], 0
    want = min(os.fstat(file.fileno()).st_size, MAX_BYTES) + 1
    while size <= MAX_BYTES:
        chunk = file.read(want)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        want = min(_CHUNK, MAX_BYTES + 1 - size)
    return b"".join(chunks)


def read_text(path: str, where: str, kind: str) -> str:
    """The file's text (UTF-8, at most MAX_BYTES, a byte-order mark dropped); ``kind``
    ("problem file") names it in errors."""
    try:
        with open(path, "rb", buffering=0) as file:
            data = _head(file)
    except FileNotFoundError:
        raise InputError(where, "no such file" if where == path else f"no such file: {path}") from None
    except IsADirectoryError:
        raise _refusal(where, path, f"is a directory, not {'an' if kind[0] in 'aeiou' else 'a'} {kind}") from None
    except OSError as error:
        raise _refusal(where, path, f"cannot be read: {error.strerror}") from None
    except ValueError:  # a NUL byte in the name
        raise InputError(where, f"{path!r} is not a valid file name") from None
    if len(data) > MAX_BYTES:
        raise _refusal(where, path, f"is larger than {MAX_BYTES // 2**20} MiB (the limit for {kind}s)")
    try:
        text = data.decode("utf-8")  # (decoded at once: the "utf-8-sig" codec is slow Python)
    except UnicodeDecodeError:
        raise _refusal(where, path, "is not a UTF-8 text file") from None
    return text[1:] if text.startswith("\ufeff") else text


def _too_deep(document: Any) -> bool:
    """Whether the document read nests more than MAX_DEPTH arrays and tables below its top
    table (as its brackets would, written out); without recursion."""
    stack = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _nesting_problem(text: str) -> str | None:
    """What makes the text too deep to hand to a parser, or None."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and text.count(".") < MAX_DEPTH:
        return None  # too few brackets and dots to go too deep: most files, at the cost of a count
    data = text.encode()
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = _without_strings(data.translate(None, _DROPPED))
    if _LONG_KEY in skeleton:
        return f"has a key of more than {MAX_DEPTH} dotted parts"
    if _too_many_levels(skeleton.translate(_UNIFIED, b"\"'#\n.,=")):
        return TOO_DEEP
    return None


def _without_strings(skeleton: bytes) -> bytes:
    """The skeleton less its strings and comments, as ``_QUOTED_OR_COMMENT.sub`` leaves it.
    A file of numbers has a few dozen quotes among millions of dots and commas: each span
    is found with ``bytes.find`` from a quote or ``#``, not tried by a regex at every byte
    (and a ``\"\"\"`` with no closing one is sought to the end only once); a file of many
    quotes goes to the regex."""
    if sum(map(skeleton.count, _OPENERS)) > _FEW_OPENERS:
        return _QUOTED_OR_COMMENT.sub(b"", skeleton)
    pieces, position = [], 0
    following = {opener: skeleton.find(opener) for opener in _OPENERS}  # the next of each, -1: none left
    unclosed: dict[bytes, int] = {}  # a triple quote with no closing one after this position
    while True:
        for opener, at in following.items():
            if 0 <= at < position:  # passed over inside a span
                following[opener] = skeleton.find(opener, position)
        start = min((at for at in following.values() if at >= 0), default=-1)
        if start < 0:
            break
        end = _span_end(skeleton, start, unclosed)
        pieces.append(skeleton[position:start] if end else skeleton[position : start + 1])
        position = end or start + 1
    pieces.append(skeleton[position:])
    return b"".join(pieces)


def _span_end(skeleton: bytes, start: int, unclosed: dict[bytes, int]) -> int:
    """Where the string or comment opening at ``start`` ends (0: none opens there), as
    ``_QUOTED_OR_COMMENT`` matches it: a comment to the line's end, a triple-quoted string
    to the next triple quote, else a quoted string within the line."""
    if skeleton[start] == ord("#"):
        newline = skeleton.find(b"\n", start)
        return len(skeleton) if newline < 0 else newline
    quote = skeleton[start : start + 1]
    triple = quote * 3
    if skeleton.startswith(triple, start) and start < unclosed.get(triple, len(skeleton)):
        close = skeleton.find(triple, start + 3)
        if close >= 0:
            return close + 3
        unclosed[triple] = start
    close = skeleton.find(quote, start + 1)
    if close < 0 or skeleton.find(b"\n", start + 1, close) >= 0:
        return 0
    return close + 1


def _too_many_levels(brackets: bytes) -> bool:
    """Whether ``[`` and ``]`` nest more than MAX_DEPTH deep (an unclosed ``[`` open to the
    end; a stray ``]``, where a parser stops, may count a few levels more). A few passes take out the innermost pairs, ``[]``, one level each at the speed of
    bytes; what is left has few runs ``[[[``/``]]]`` (each pair left enclosed two removed
    brackets per pass), whose lengths are summed."""
    if b"[" * (MAX_DEPTH + 1) in brackets:  # at once for the usual attack
        return True
    brackets += b"]" * (brackets.count(b"[") - brackets.count(b"]"))  # closed at the end: the depths stay
    passes = 0
    while passes < _PASSES and b"[]" in brackets:
        brackets = brackets.replace(b"[]", b"")
        passes += 1
    steps = (len(run) if run[0] == ord("[") else -len(run) for run in _RUNS.findall(brackets))
    return any(depth > MAX_DEPTH - passes for depth in accumulate(steps))


def _toml(text: str, parse_float: Callable[[str], Any]) -> Any:
    """TOML: the fast reader for the common subset, else ``tomllib`` (imported only then)."""
    from dlsolve.checking import toml_subset

    fast = toml_subset.parse(text, parse_float)
    if fast is not None:
        return fast
    import tomllib

    try:
        return tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"is not valid TOML: {error}") from None


def _json(text: str, parse_float: Callable[[str], Any]) -> Any:
    if parse_float is float:  # a problem file; a large one is read by orjson where it reads as json does
        from dlsolve.core import fast_json

        document = fast_json.loads(text)
        if document is not None:
            return document
    import json

    try:  # NaN and Infinity too go through parse_float (float reads them as json does)
        return json.loads(text, parse_float=parse_float, parse_constant=parse_float)
    except json.JSONDecodeError as error:
        raise ValueError(f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None


def read(path: str, where: str, kind: str, parse_float: Callable[[str], Any] = float) -> Any:
    """The document in the file: TOML (``.toml``), JSON (``.json``), or either for another
    suffix (TOML tried first), numbers with a decimal point read by ``parse_float``.
    Raises InputError ``where: …`` naming the file and the problem."""
    return parsed(read_text(path, where, kind), path, where, parse_float)


def parsed(text: str, path: str, where: str, parse_float: Callable[[str], Any] = float) -> Any:
    """:func:`read` of a file whose text (:func:`read_text`) is ``text``."""
    problem = _nesting_problem(text)
    if problem:
        raise _refusal(where, path, problem)
    parsers = {".toml": (_toml,), ".json": (_json,)}.get(os.path.splitext(path)[1].lower(), (_toml, _json))
    problems = []
    for parse in parsers:
        try:
            document = parse(text, parse_float)
        except ValueError as error:
            problems.append(str(error))
            continue
        # JSON's depth is its brackets'; TOML's without inline tables is bounded (brackets, header and key parts)
        if parse is _toml and "{" in text and _too_deep(document):
            raise _refusal(where, path, TOO_DEEP)
        return document
    raise _refusal(where, path, problems[0])
