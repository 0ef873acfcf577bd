"""okrctl: strategy, OKRs, check-ins and retrospectives as YAML files in a git repository."""

__version__ = "0.2.0"
