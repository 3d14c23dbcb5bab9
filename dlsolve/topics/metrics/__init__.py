"""The metrics topic: the command ``dlsolve metrics`` (its options; its docstring is its help),
no NumPy. Beside it: values.py (labels and counts), confusion.py (the matrix from each input),
measures.py (the ratios), solve.py (the worked solution), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "metrics"
EPILOG = """\b
Examples:
  dlsolve metrics
      the screening of 100 people: TP 8, FN 2, FP 12, TN 78
  dlsolve metrics --tp 45 --fp 5 --fn 15 --tn 35 --beta 2
      four counts, and F2 (recall counted twice as much as precision)
  dlsolve metrics --matrix "5,3,0; 2,3,1; 0,2,11" --labels cat,dog,rabbit
      three classes: per class, then macro, micro and weighted averages
  dlsolve metrics --actual cat,dog,pig,cat,dog,pig --predicted cat,pig,dog,cat,cat,dog
      the matrix counted from label vectors first (classes sorted: cat, dog, pig)
  dlsolve metrics --actual 1,0,1,1,0 --predicted 1,1,0,1,0 --positive 0
      two classes of numbers, with 0 as the positive class
"""


@solver_command(NAME)
def command(
    matrix: Annotated[Optional[str], value("MATRIX", 'Confusion matrix of counts, rows = actual class, columns = predicted: "5,3,0; 2,3,1; 0,2,11".')] = None,
    actual: Annotated[Optional[str], value("LABELS", "Actual class of each sample: cat,dog,cat or 1,0,1 (numbers or words).")] = None,
    predicted: Annotated[Optional[str], value("LABELS", "Predicted class of each sample, as many as --actual.")] = None,
    tp: Annotated[Optional[str], value("N", "Binary counts: true positives (with --fp, --fn, --tn; default 8).")] = None,
    fp: Annotated[Optional[str], value("N", "False positives: actual negative, predicted positive (default 12).")] = None,
    fn: Annotated[Optional[str], value("N", "False negatives: actual positive, predicted negative (default 2).")] = None,
    tn: Annotated[Optional[str], value("N", "True negatives (default 78).")] = None,
    labels: Annotated[Optional[str], value("LABELS", "Class names in the matrix's order (--matrix, --tp…), or the class order for --actual/--predicted (default sorted).")] = None,
    positive: Annotated[Optional[str], value("LABEL", "Two classes: the positive class (default the second, as scikit-learn's pos_label=1).")] = None,
    beta: Annotated[Optional[str], value("BETA", "β of F-beta, 0 < β ≤ 100 (default 1: F1; 2 weighs recall more, 0.5 precision).")] = None,
) -> None:
    """Classification metrics: the confusion matrix, accuracy, precision, recall, F1, per class and averaged.

    Give one of: a confusion matrix (--matrix, rows = actual class, columns = predicted,
    as scikit-learn), the label vectors --actual/--predicted (the matrix is counted
    first and shown), or the binary counts --tp --fp --fn --tn (the matrix
    [[TN, FP], [FN, TP]]). Two classes: accuracy, precision, recall (sensitivity),
    specificity, F1 and F-beta, each with the notes' formula and its numbers, and
    which error is the dangerous one. More classes: one class against the rest, then
    macro, micro and weighted averages. A 0/0 ratio is 0 (scikit-learn's
    zero_division=0). With no inputs: a screening of 100 people, TP 8, FN 2, FP 12, TN 78.

    Labels are numbers or words (letters, digits, _ - .); when every label given is a
    number they compare as numbers (1 = 1.0) and sort numerically, else as words.

    Limits (an exercise tool): at most 500 classes, 100,000 labels in each of --actual and
    --predicted, and a total count of at most 1,000,000,000,000.
    """
