"""Fault and fuzz suite: valid content (content/, tests/fixtures/mini, examples/*) mutated with
hostile strings, numbers, structures and file-system oddities.

* :mod:`tests.fuzz.hostile` — the catalogues of hostile values;
* :mod:`tests.fuzz.cases` — a case (a source plan and one to three mutations) drawn from a
  ``random.Random``; :func:`tests.fuzz.cases.hostile_cases` is the same generator as a hypothesis
  strategy; a case is written out as a content folder by :func:`tests.fuzz.cases.materialize`;
* :mod:`tests.fuzz.tree` — every text of a composed booklet tree, and the lost-text check;
* :mod:`tests.fuzz.run` — the runner (``python -m tests.fuzz.run --cases N --seed S``): loads, checks,
  composes (and for a sample builds) each case under a time limit and classifies it as located,
  built, traceback, hang, lost or unlocated.
"""
