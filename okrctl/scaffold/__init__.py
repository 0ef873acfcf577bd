"""The files okrctl writes for people to fill in: a new repository, a draft objective, a retro.

Each scaffold is YAML text with guiding comments (never a dump of a model, which would lose
them), starts with a ``yaml-language-server`` line pointing at the schema exported into the
repository, and is valid as written: placeholders are real values marked ``# TODO``.
"""
