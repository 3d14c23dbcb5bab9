"""Answer checking: a student's answers judged against a solver's solution.

answers_file   read an answers file (TOML/JSON, numbers kept as written)
toml_subset    a fast reader for the TOML answers files are made of (tomllib for the rest)
keys           answer keys (``history.2``, ``layers.3.params``) and the paths they name
compare        the four comparison modes (written, relabs, sigfig, decdig), element by element
student        the student's values, standing in for the solution's in recomputations
judge          each answer: its verdict, the step it comes from, the slip it matches, the
               verdict given the student's own earlier values (error carried forward)
slips          what a topic's slips.py returns (the common slips, each computed as an
               alternative answer, and chained answers recomputed from the student's
               earlier values), found through the registry (dlsolve.topics)
rounding       how far the rounding of those earlier values moves a carried value (its band)
policy         when "right given your earlier answers" earns credit (ECF that cannot be gamed)
words          the words and symbols a student writes for a word answer (two-tailed, ≠, >)
session        many files in one call: each distinct problem solved once
report         text, markdown, json and Gradescope's results.json

Nothing here is imported by ``dlsolve --help``; NumPy is imported only by the topics' solve
and slips modules, when a wrong answer needs diagnosing.
"""
