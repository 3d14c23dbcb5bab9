"""Question banks for teachers (``dlsolve practice COMMAND --export moodle|gift|prairielearn``):
N seeded variants of a practice exercise, with the exact answers, their tolerances, the
catalogue's slips as wrong answers with their diagnoses and the worked solutions, written
for Moodle (XML, cloze questions), GIFT or PrairieLearn (question folders).

Imported only when ``--export`` is used: :mod:`model` builds the bank, :mod:`html` writes
its lines as HTML with MathJax math, and one module per format writes it down.
"""
