"""Reading ``conv-params`` inputs safely: Keras-style layer strings and the input shape.

A layer string is parsed with :mod:`ast`, never evaluated: the expression must be one call
of a plain name (``Conv2D(32, 3)``) whose arguments are literals — whole numbers, decimals,
strings, ``True``/``False``/``None`` and tuples or lists of these — or, for the wrappers
``Bidirectional(LSTM(64))`` and ``TimeDistributed(Dense(8))``, another such call. Anything
else (attribute access, names, operators, lambdas, ``*args``) is refused with one line
saying what was found. Only syntax is checked here; whether ``Conv2D`` takes ``filters``
and whether the layer fits its input is decided by the solver, which keeps each call's
``where`` (``--layers (layer 3)``) to name it in its own errors.
"""

import ast
import re
from typing import Any, NamedTuple

from dlsolve.core.inputs import InputError, shown_integer, within_limit

MAX_LAYER_TEXT = 1000  # characters in one layer string: an exercise, not a model zoo
MAX_LAYERS = 1_000  # layers in one model (an exam has 3–10; ResNet-152 has about 500)
MAX_RANK = 4
MAX_DIMENSION_DIGITS = 9
UNKNOWN_SIZES = ("seq", "none", "?")  # a dimension whose length is not fixed (Keras: None)
_SHAPE_SEPARATORS = re.compile(r"[x×*,]")
_LITERAL_TYPES = (bool, int, float, str, type(None))
_NODE_NAMES = {
    ast.Attribute: "attribute access", ast.Name: "a bare name", ast.Lambda: "a lambda",
    ast.BinOp: "arithmetic", ast.BoolOp: "a boolean expression", ast.Compare: "a comparison",
    ast.Subscript: "indexing", ast.Dict: "a dictionary", ast.Set: "a set", ast.IfExp: "a conditional",
    ast.ListComp: "a comprehension", ast.GeneratorExp: "a generator", ast.JoinedStr: "an f-string",
    ast.Starred: "*-unpacking", ast.NamedExpr: "an assignment", ast.Await: "await",
}


class LayerCall(NamedTuple):
    """One parsed layer: ``Conv2D(32, (3, 3), padding="same")`` →
    name ``"Conv2D"``, args ``(32, (3, 3))``, kwargs ``(("padding", "same"),)``.
    An argument that is itself a layer (inside a wrapper) is a ``LayerCall``."""

    name: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    where: str  # the option and layer number, for error lines: "--layers (layer 2)"


# --- splitting "Conv2D(32, 3); MaxPooling2D(2)" into layers ----------------------------------


def split_layers(text: str) -> list[str]:
    """The layer strings of ``text``, split on ``;`` outside parentheses, brackets and quotes.

    ``"Conv2D(32, 3); Dense(10, name='a;b')"`` → ``["Conv2D(32, 3)", "Dense(10, name='a;b')"]``.
    Unbalanced parentheses are left for the parser to report.
    """
    pieces, current, depth, quote, escaped = [], [], 0, "", False
    for char in text:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ";" and depth == 0:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces]


# --- one layer string → LayerCall ------------------------------------------------------------


def parse_layer(text: str, where: str) -> LayerCall:
    """Parse one layer string (never evaluated; see the module docstring)."""
    if not text:
        raise InputError(where, "is empty; write a layer such as Conv2D(32, 3)")
    if len(text) > MAX_LAYER_TEXT:
        raise InputError(where, f"is {len(text):,} characters long; a layer string has at most {MAX_LAYER_TEXT:,}")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise InputError(where, f"{_quoted(text)} is not a layer call: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError):  # null bytes, absurd nesting
        raise InputError(where, f"{_quoted(text)} is not a layer call") from None
    return _call(tree.body, text, where)


def _call(node: ast.expr, text: str, where: str) -> LayerCall:
    if not isinstance(node, ast.Call):
        hint = " (add parentheses: Flatten())" if isinstance(node, ast.Name) else ""
        raise InputError(where, f"{_quoted(text)} is {_found(node)}, not a layer call such as Conv2D(32, 3){hint}")
    if isinstance(node.func, ast.Attribute):
        hint = f"; write the layer name alone: {node.func.attr}(…), not {ast.unparse(node.func)}(…)" if _dotted(node.func) else ""
        raise InputError(where, f"{_quoted(text)}: attribute access is not allowed{hint}")
    if not isinstance(node.func, ast.Name):
        raise InputError(where, f"{_quoted(text)}: the layer must be a plain name such as Conv2D, not {_found(node.func)}")
    name = node.func.id
    args = tuple(_argument(arg, name, text, where) for arg in node.args)
    kwargs = []
    for keyword in node.keywords:
        if keyword.arg is None:
            raise InputError(where, f"{_quoted(text)}: **-unpacking is not allowed; write each argument as name=value")
        kwargs.append((keyword.arg, _argument(keyword.value, name, text, where)))
    return LayerCall(name, args, tuple(kwargs), where)


def _dotted(node: ast.expr) -> bool:
    """``layers.Conv2D`` or ``tf.keras.layers.Conv2D``: a module path pasted from Keras code."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _argument(node: ast.expr, layer: str, text: str, where: str) -> Any:
    """A literal argument value, or a nested layer call (for the wrapper layers)."""
    if isinstance(node, ast.Call):
        return _call(node, text, where)
    try:
        return _literal(node)
    except ValueError:
        raise InputError(where, f"{_quoted(text)}: the arguments of {layer}() must be literal values "
                                f"(numbers, strings, True/False/None, tuples), not {_found(node)}") from None


def _literal(node: ast.expr) -> Any:
    """A number, string, bool, None, or a tuple/list of them (lists become tuples); else ValueError."""
    if isinstance(node, ast.Constant) and isinstance(node.value, _LITERAL_TYPES):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float)):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_literal(item) for item in node.elts)
    raise ValueError(node)


def _found(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return f"the value {node.value!r}"
    return _NODE_NAMES.get(type(node), f"a {type(node).__name__} expression")


def _quoted(text: str, limit: int = 60) -> str:
    """The user's text for an error line: one line, bounded length."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- the value kinds the solver's FIELDS use -----------------------------------------------


class LayerTexts(NamedTuple):
    """Layers: one string with ``;`` between layers (``--layers``), or several strings
    (``--layer`` repeated, or a list in a problem file), each of which may hold several."""

    def read_text(self, text: str | list[str] | tuple[str, ...], where: str) -> tuple[LayerCall, ...]:
        texts = [text] if isinstance(text, str) else list(text)
        pieces = [piece for t in texts for piece in _pieces(t)]
        if not pieces:
            raise InputError(where, "is empty; write layers such as \"Conv2D(32, 3); MaxPooling2D(2)\"")
        within_limit(len(pieces), MAX_LAYERS, where, "layers")
        return tuple(parse_layer(piece, f"{where} (layer {i})") for i, piece in enumerate(pieces, 1))

    def read_value(self, value: Any, where: str) -> tuple[LayerCall, ...]:
        if isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return self.read_text(value, where)
        raise InputError(where, "expected a string of layers separated by ';' or a list of layer strings")


def _pieces(text: str) -> list[str]:
    """A string's layer strings; a trailing ``;`` is forgiven, an empty layer between two is not."""
    pieces = split_layers(text)
    return pieces[:-1] if len(pieces) > 1 and not pieces[-1] else pieces


class InputShape(NamedTuple):
    """The input shape without the batch dimension: ``32x32x3`` (also ``32×32×3``,
    ``(32, 32, 3)``), ``20x5`` (steps × features), an integer length ``100`` or ``seq`` (a
    token sequence of unknown length); ``seq``/``?``/``None`` mark any unknown dimension."""

    def read_text(self, text: str, where: str) -> tuple[int | None, ...]:
        cleaned = text.strip().strip("()[]").strip().lower()
        if not cleaned:
            raise InputError(where, "is empty; give a shape such as 32x32x3, 20x5, 100 or seq")
        tokens = [token.strip() for token in _SHAPE_SEPARATORS.split(cleaned)]
        return self._checked([self._size(token, text, where) for token in tokens], text, where)

    def read_value(self, value: Any, where: str) -> tuple[int | None, ...]:
        if isinstance(value, str):
            return self.read_text(value, where)
        items = value if isinstance(value, list) else [value]
        sizes = [None if item is None else self._size(item, str(value), where) for item in items]
        return self._checked(sizes, str(value), where)

    @staticmethod
    def _size(token: Any, text: str, where: str) -> int | None:
        if isinstance(token, str):
            if token in UNKNOWN_SIZES:
                return None
            if not token:
                raise InputError(where, f"{_quoted(text)} is not a shape: a size is missing")
            if not re.fullmatch(rf"[+-]?\d{{1,{MAX_DIMENSION_DIGITS}}}", token.replace("−", "-")):
                raise InputError(where, f"{_quoted(text)} is not a shape: {token!r} is not a whole number "
                                        "(write e.g. 32x32x3, 20x5, 100 or seq)")
            token = int(token.replace("−", "-"))
        if isinstance(token, bool) or not isinstance(token, int):
            raise InputError(where, f"{_quoted(text)} is not a shape: sizes are whole numbers, got {_quoted(repr(token))}")
        if token >= 10**MAX_DIMENSION_DIGITS:
            raise InputError(where, f"{_quoted(text)}: a size must be below 10^{MAX_DIMENSION_DIGITS}, got {shown_integer(token)}")
        if token < 1:
            raise InputError(where, f"{_quoted(text)}: every size must be at least 1, got {token}")
        return token

    @staticmethod
    def _checked(sizes: list[int | None], text: str, where: str) -> tuple[int | None, ...]:
        if not sizes:
            raise InputError(where, "is empty; give a shape such as 32x32x3, 20x5, 100 or seq")
        if len(sizes) > MAX_RANK:
            raise InputError(where, f"{_quoted(text)} has {len(sizes)} dimensions; at most {MAX_RANK} "
                                    "(without the batch dimension)")
        return tuple(sizes)
