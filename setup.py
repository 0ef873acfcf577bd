"""The one part of the build that pyproject.toml cannot say: the example organisations.

They live once, in ``examples/`` at the top of the repository (the README and the tests use them
there), and the wheel carries them as ``okrctl/_examples/`` so that ``okrctl init --example`` works
from any install. Everything else is configured in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

EXAMPLES = "okrctl._examples"

setup(
    # Namespace discovery: most sub-packages of okrctl have no __init__.py.
    packages=[*find_namespace_packages(include=["okrctl", "okrctl.*"]), EXAMPLES],
    package_dir={EXAMPLES: "examples"},
    # YAML only: a cache folder or editor file left in a working copy never reaches the wheel.
    include_package_data=False,  # only what package_data names (no "data as namespace package" notices)
    package_data={"okrctl": ["py.typed"], EXAMPLES: ["**/*.yaml", "**/*.yml"]},
)
