"""Lessons: workshop modules the tool checks itself, offline, in French and English.

A module is a folder of `datactiviste/curricula/` holding one YAML file per language
(`fr.yaml`, `en.yaml`) with the same exercises. `schema` validates them, `loader` reads them,
`checkers` grade answers (typed numbers and texts, multiple choice, SQL result sets re-run on a
variant database, "do it" checks on the learner's own files), `progress` keeps each learner's
progress in a local SQLite file, `session` is what the `datactiviste lesson` commands call,
`verify` proves every exercise's solution passes and wrong answers fail, `handouts` and
`report` write printable, offline HTML.
"""
