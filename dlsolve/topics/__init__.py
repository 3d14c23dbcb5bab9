"""The topics, one folder each (``som-train`` → ``dlsolve/topics/som_train/``), and the one
registry through which the CLI and the engines (runner, checking, practice) find them.

A topic's folder holds
  __init__.py  the command: ``NAME``, ``EPILOG`` and ``command`` (its options; its
               docstring is its help). No NumPy: ``dlsolve COMMAND --help`` stays fast.
  solve.py     ``FIELDS`` (its inputs; defaults = the course notes' problem) and
               ``solve(inputs) -> Derivation``
  slips.py     ``analyse(work) -> Analysis``: common slips and answers carried forward
  practice.py  ``TITLE`` and ``generate(draw, level) -> Generated``
and whatever only this topic needs. Adding a topic adds its folder and its line in
:data:`SUMMARIES`; nothing here imports a topic until it is asked for.

A command read from a file (an answers file's or a problem file's ``command``) is looked up
in :data:`TOPICS` before anything is imported: "layers", "__init__" or "a.b" name
modules that are not topics."""

from __future__ import annotations

from types import ModuleType

from dlsolve.core.shallow_import import import_module

# Each topic's command and its summary in ``dlsolve --help`` (the first paragraph of its
# docstring, kept in step by tests/test_startup.py): the help lists it without importing it.
SUMMARIES = {
    "activation": "Activation functions: values and derivatives with their formulas, softmax and its Jacobian.",
    "backprop": "Backpropagation: forward pass, error, the chain rule for every weight, the update.",
    "batchnorm": "Batch normalization: mean, variance, normalize, scale and shift, running statistics.",
    "conv-params": "Output shapes and parameter counts of CNN/RNN layers, model.summary() by hand.",
    "convolve": "Convolution by hand: one filter over an image, sum of products, bias, activation, pooling.",
    "early-stopping": "Early stopping: wait per epoch, where training stops, which weights are restored.",
    "kl-divergence": "KL divergence: two discrete distributions, two Gaussians, or a VAE's KL term.",
    "metrics": "Classification metrics: the confusion matrix, accuracy, precision, recall, F1, per class and averaged.",
    "optimizer": "Optimizer steps: GD, momentum, Nesterov, AdaGrad, RMSProp, Adam, side by side.",
    "rbf-xor": "RBF network: Gaussian units, output, class.",
    "regularize": "Regularization: L1/L2/elastic-net penalties, their gradients and updates, or dropout.",
    "rnn-forward": "Recurrent cells (RNN, LSTM, GRU): weight shapes, parameter count, the forward pass step by step.",
    "som-train": "Kohonen self-organizing map: distances, winner and update for every sample.",
    "ttest": "Hypothesis test on a mean (t or z), in the notes' five steps: H0, H1, statistic, level, decision.",
}
TOPICS = tuple(SUMMARIES)


def not_a_solver(command: object) -> str:
    """Why ``command`` names no topic: ``is not a solver (did you mean …? one of …)``."""
    import difflib

    close = difflib.get_close_matches(str(command), TOPICS, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"is not a solver ({hint}one of {', '.join(TOPICS)})"


def _part(topic: str, part: str) -> ModuleType:
    """``dlsolve.topics.<topic>`` (its command) or one of its modules; InputError for a
    name that is not a topic (nothing is imported for it)."""
    if topic not in TOPICS:
        from dlsolve.core.inputs import InputError

        raise InputError("command", f"{topic!r} {not_a_solver(topic)}")
    return import_module(f"{__name__}.{topic.replace('-', '_')}{part}")


def command(topic: str) -> ModuleType:
    """The topic's command module (``NAME``, ``EPILOG``, ``command``)."""
    return _part(topic, "")


def load(topic: str) -> ModuleType:
    """The topic's solver (``"som-train"`` → ``dlsolve.topics.som_train.solve``)."""
    return _part(topic, ".solve")


def slips(topic: str) -> ModuleType:
    """The topic's slips module, for ``check`` (``analyse``)."""
    return _part(topic, ".slips")


def practice(topic: str) -> ModuleType:
    """The topic's exercise generator, for ``practice`` (``TITLE``, ``generate``)."""
    return _part(topic, ".practice")
