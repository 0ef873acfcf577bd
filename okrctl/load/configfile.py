"""The repository's ``okrctl.yaml`` read on its own, for what needs the settings and nothing else
(``okrctl rules``): no scan, no cache, no other file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ConfigAlone:
    """The Config as ``align`` applies it (the valid settings of a broken file, else the defaults),
    and whether ``okrctl.yaml`` had a problem that made okrctl drop some or all of it."""

    config: Any  # okrctl.model.Config; Any keeps pydantic out of this module's imports
    broken: bool


def read_config_alone(root: Path) -> ConfigAlone:
    from okrctl.load.declared import root_config
    from okrctl.load.discover import CONFIG_NAME
    from okrctl.load.documents import Doc, fits, parse_bytes
    from okrctl.load.links import link_problem
    from okrctl.load.pipeline import read_file
    from okrctl.load.yamlparse import YamlProblem
    from okrctl.model import Config

    path = root / CONFIG_NAME
    if link_problem(os.fspath(root), CONFIG_NAME):
        # A link out of the repository, or where the walk never reads, is not read by align either (OKR100).
        return ConfigAlone(Config.default(), True)
    try:
        parsed = parse_bytes(CONFIG_NAME, read_file(path))
    except (OSError, YamlProblem):
        return ConfigAlone(Config.default(), True)
    docs: list[Doc] = []
    problems = 0
    for document in parsed:
        doc = Doc(CONFIG_NAME, document.index, document.line, document.column, document.data, parsed=document)
        problems += not fits(doc)
        docs.append(doc)
    config, valid_doc, _ = root_config(docs)
    twice = sum(isinstance(doc.model, Config) for doc in docs) > 1  # OKR105: the first one is used
    return ConfigAlone(config, bool(problems) or valid_doc is None or twice)
