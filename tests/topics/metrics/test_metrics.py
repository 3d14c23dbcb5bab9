"""dlsolve metrics against hand calculations and scikit-learn's sklearn.metrics (computed here).

scikit-learn (the test extra) is imported only by the tests that compare with it; the
hand-worked cases run without it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dlsolve.checking.slips import Work
from dlsolve.checking.student import Student
from dlsolve.runner import derive
from dlsolve.topics.metrics import slips


def answers(**values):
    return derive("metrics", {k: v for k, v in values.items()}).answers


# --- hand calculations ----------------------------------------------------------------------------


def test_default_problem_by_hand():
    a = answers()
    # TP 8, FN 2, FP 12, TN 78: matrix [[TN, FP], [FN, TP]]
    assert a["matrix"] == [[78, 12], [2, 8]]
    assert a["accuracy"] == pytest.approx(86 / 100)  # (8 + 78)/100
    assert a["precision"] == pytest.approx(0.4)  # 8/(8 + 12)
    assert a["recall"] == pytest.approx(0.8)  # 8/(8 + 2)
    assert a["specificity"] == pytest.approx(78 / 90)  # 78/(78 + 12)
    assert a["f1"] == pytest.approx(0.5333333333)  # 2·0.4·0.8/1.2 = 16/30
    assert a["fbeta"] == a["f1"]


def test_f_beta_by_hand():
    # β = 2: (1 + 4)·0.4·0.8/(4·0.4 + 0.8) = 1.6/2.4 = 2/3
    assert answers(beta="2")["fbeta"] == pytest.approx(2 / 3)
    # β = 0.5: 1.25·0.32/(0.25·0.4 + 0.8) = 0.4/0.9
    assert answers(beta="0.5")["fbeta"] == pytest.approx(0.4 / 0.9)


def test_the_positive_class_can_be_the_first():
    # actual 1,0,1,1,0; predicted 1,1,0,1,0 → C = [[1, 1], [1, 2]] (classes 0, 1)
    # positive 0: TP = C₀₀ = 1, FP = C₁₀ = 1, FN = C₀₁ = 1, TN = C₁₁ = 2
    a = answers(actual="1,0,1,1,0", predicted="1,1,0,1,0", positive="0")
    assert a["matrix"] == [[1, 1], [1, 2]]
    assert (a["precision"], a["recall"], a["specificity"]) == (0.5, 0.5, pytest.approx(2 / 3))


def test_three_classes_by_hand():
    # Wikipedia's cat/dog/rabbit matrix: column totals 7, 8, 12; row totals 8, 6, 13
    a = answers(matrix="5,3,0; 2,3,1; 0,2,11", labels="cat,dog,rabbit")
    assert a["per_class"]["precision"] == pytest.approx([5 / 7, 3 / 8, 11 / 12])
    assert a["per_class"]["recall"] == pytest.approx([5 / 8, 3 / 6, 11 / 13])
    assert a["per_class"]["support"] == [8, 6, 13]
    assert a["accuracy"] == pytest.approx(19 / 27)
    assert a["micro"] == pytest.approx({"precision": 19 / 27, "recall": 19 / 27, "f1": 19 / 27})
    assert a["macro"]["precision"] == pytest.approx((5 / 7 + 3 / 8 + 11 / 12) / 3)
    assert a["weighted"]["recall"] == pytest.approx(19 / 27)  # Σ n_k·TP_k/n_k / N = ΣTP/N


def test_a_zero_denominator_is_zero_with_a_note():
    # nothing predicted positive: TP + FP = 0 → precision 0/0 = 0, F1 = 0
    d = derive("metrics", {"tp": "0", "fp": "0", "fn": "5", "tn": "95"})
    assert (d.answers["precision"], d.answers["recall"], d.answers["f1"]) == (0.0, 0.0, 0.0)
    assert any("zero_division=0" in "".join(map(str, n.text.parts)) for n in d.notes)


def test_words_sort_alphabetically_and_labels_give_the_order():
    a = answers(actual="b,a,c,a", predicted="b,a,a,c")
    # sorted a, b, c: a→a twice; b→b; c→a
    assert a["matrix"] == [[1, 0, 1], [0, 1, 0], [1, 0, 0]]
    b = answers(actual="b,a,c,a", predicted="b,a,a,c", labels="c,b,a")
    assert b["matrix"] == [[0, 0, 1], [0, 1, 0], [1, 0, 1]]


def test_numbers_compare_by_value():
    a = answers(actual="1,0,1.0,10", predicted="1.0,0,1,2")
    # numbers: 0 < 1 < 2 < 10 (not "10" < "2" as words); 1 = 1.0
    assert a["matrix"] == [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]]
    assert derive("metrics", {"actual": "1,0,1.0,10", "predicted": "1.0,0,1,2"}).inputs["labels"] == [0, 1, 2, 10]


# --- scikit-learn, computed here --------------------------------------------------------------------

CASES = [
    (["cat", "dog", "pig", "cat", "dog", "pig"], ["cat", "pig", "dog", "cat", "cat", "dog"]),  # sklearn docs
    ([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]),  # class 1 never predicted
    ([0, 1, 2, 3, 3, 3, 1, 0, 2, 2, 4, 4], [0, 2, 2, 3, 1, 3, 1, 1, 2, 0, 0, 0]),  # class 4 never predicted right
]


@pytest.mark.parametrize(("actual", "predicted"), CASES)
@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_multiclass_matches_scikit_learn(actual, predicted, beta):
    metrics = pytest.importorskip("sklearn.metrics")
    a = answers(actual=",".join(map(str, actual)), predicted=",".join(map(str, predicted)), beta=str(beta))
    assert a["matrix"] == metrics.confusion_matrix(actual, predicted).tolist()
    assert a["accuracy"] == pytest.approx(metrics.accuracy_score(actual, predicted))
    p, r, f, s = metrics.precision_recall_fscore_support(actual, predicted, average=None, zero_division=0)
    assert a["per_class"]["precision"] == pytest.approx(p.tolist())
    assert a["per_class"]["recall"] == pytest.approx(r.tolist())
    assert a["per_class"]["f1"] == pytest.approx(f.tolist())
    assert a["per_class"]["support"] == s.tolist()
    for average in ("macro", "micro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(actual, predicted, average=average, zero_division=0)
        assert a[average]["precision"] == pytest.approx(p) and a[average]["recall"] == pytest.approx(r)
        assert a[average]["f1"] == pytest.approx(f)
        if beta != 1:
            assert a[average]["fbeta"] == pytest.approx(metrics.fbeta_score(actual, predicted, beta=beta, average=average, zero_division=0))
    if beta != 1:
        assert a["per_class"]["fbeta"] == pytest.approx(metrics.fbeta_score(actual, predicted, beta=beta, average=None, zero_division=0).tolist())


@pytest.mark.parametrize(("counts", "beta"), [((8, 12, 2, 78), 1.0), ((45, 5, 15, 35), 2.0), ((0, 0, 5, 95), 0.5), ((3, 0, 0, 0), 1.0)])
def test_binary_counts_match_scikit_learn(counts, beta):
    metrics = pytest.importorskip("sklearn.metrics")
    tp, fp, fn, tn = counts
    actual = [1] * tp + [0] * fp + [1] * fn + [0] * tn
    predicted = [1] * tp + [1] * fp + [0] * fn + [0] * tn
    a = answers(tp=str(tp), fp=str(fp), fn=str(fn), tn=str(tn), beta=str(beta))
    assert a["matrix"] == metrics.confusion_matrix(actual, predicted, labels=[0, 1]).tolist()
    assert a["accuracy"] == pytest.approx(metrics.accuracy_score(actual, predicted))
    assert a["precision"] == pytest.approx(metrics.precision_score(actual, predicted, zero_division=0))
    assert a["recall"] == pytest.approx(metrics.recall_score(actual, predicted, zero_division=0))
    assert a["specificity"] == pytest.approx(metrics.recall_score(actual, predicted, pos_label=0, zero_division=0))
    assert a["f1"] == pytest.approx(metrics.f1_score(actual, predicted, zero_division=0))
    assert a["fbeta"] == pytest.approx(metrics.fbeta_score(actual, predicted, beta=beta, zero_division=0))


def test_positive_label_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    actual, predicted = ["no", "yes", "yes", "no", "yes", "no", "no"], ["no", "yes", "no", "yes", "yes", "no", "yes"]
    a = answers(actual=",".join(actual), predicted=",".join(predicted), positive="no")
    assert a["precision"] == pytest.approx(metrics.precision_score(actual, predicted, pos_label="no"))
    assert a["recall"] == pytest.approx(metrics.recall_score(actual, predicted, pos_label="no"))
    assert a["f1"] == pytest.approx(metrics.f1_score(actual, predicted, pos_label="no"))


# --- slips and error carried forward ------------------------------------------------------------------


def analysis(values, given):
    d = derive("metrics", values)
    return slips.analyse(Work(d.inputs, d.answers, Student(given)))


def slip_values(values, name):
    return next(s.values for s in analysis(values, ()).slips if s.name == name)


def test_binary_slips_by_hand():
    assert slip_values({}, "precision-recall-swapped") == {("precision",): 0.8, ("recall",): 0.4}
    assert slip_values({}, "f1-arithmetic-mean")[("f1",)] == pytest.approx(0.6)  # (0.4 + 0.8)/2
    assert slip_values({}, "specificity-over-fn")[("specificity",)] == pytest.approx(78 / 80)  # TN/(TN + FN)
    assert slip_values({}, "accuracy-total-without-fn")[("accuracy",)] == pytest.approx(86 / 98)  # (TP + TN)/(TP + TN + FP)
    assert slip_values({}, "accuracy-positives-only")[("accuracy",)] == pytest.approx(8 / 100)


def test_f1_is_carried_from_the_students_precision_and_recall():
    carried = analysis({}, [(("precision",), Decimal("0.5")), (("recall",), Decimal("0.5"))]).carried  # answers files give Decimals
    assert carried[("f1",)].value == pytest.approx(0.5)  # 2·0.5·0.5/(0.5 + 0.5)


def test_metrics_are_carried_from_the_students_matrix():
    # the student counted [[78, 12], [4, 6]]: P = 6/18, R = 6/10, accuracy 84/100
    carried = analysis({}, [(("matrix",), [[78, 12], [4, 6]])]).carried
    assert carried[("precision",)].value == pytest.approx(6 / 18)
    assert carried[("recall",)].value == pytest.approx(0.6)
    assert carried[("accuracy",)].value == pytest.approx(0.84)


def test_micro_macro_swap_and_macro_from_the_students_values():
    values = {"matrix": "5,3,0; 2,3,1; 0,2,11"}
    swapped = slip_values(values, "micro-macro-swapped")
    assert swapped[("macro", "precision")] == pytest.approx(19 / 27)
    carried = analysis(values, [(("per_class", "precision"), [Decimal("0.5"), Decimal("0.25"), Decimal("0.75")])]).carried
    assert carried[("macro", "precision")].value == pytest.approx(0.5)  # (0.5 + 0.25 + 0.75)/3
    # weighted by the supports 8, 6, 13: (4 + 1.5 + 9.75)/27
    assert carried[("weighted", "precision")].value == pytest.approx(15.25 / 27)


def test_the_caps_admit_their_limits():
    # 500 classes, each sample right: the identity matrix; accuracy = 500/500 and every P = R = 1
    identity = "; ".join(",".join("1" if i == j else "0" for j in range(500)) for i in range(500))
    a = answers(matrix=identity)
    assert a["accuracy"] == 1.0 and a["macro"]["f1"] == 1.0 and len(a["per_class"]["support"]) == 500
    # 100,000 labels, a and b alternating, every prediction a: C = [[50,000, 0], [50,000, 0]], accuracy ½
    labels = ",".join(["a", "b"] * 50_000)
    b = answers(actual=labels, predicted=",".join(["a"] * 100_000))
    assert b["matrix"] == [[50_000, 0], [50_000, 0]] and b["accuracy"] == 0.5
