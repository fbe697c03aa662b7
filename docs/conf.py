"""Sphinx configuration for the cloudmock documentation.

Build the pages and run every tutorial as a doctest::

    sphinx-build -W -b html docs docs/_build/html
    sphinx-build -W -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import cloudmock

# The EC2 coverage page is generated from the model and the handlers on every build.
_here = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "ec2_coverage", _here.parent / "scripts" / "ec2_coverage.py"
)
assert _spec is not None and _spec.loader is not None
_coverage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_coverage)
_page = _coverage.rst(_coverage.coverage())
_target = _here / "ec2_coverage.rst"
if not _target.exists() or _target.read_text(encoding="utf-8") != _page:
    _target.write_text(_page, encoding="utf-8")

project = "cloudmock"
author = "the cloudmock authors"
copyright = "the cloudmock authors"
version = release = cloudmock.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
]

root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_theme_options = {
    "description": "A local, in-memory twin of AWS EC2 for tests and development.",
    "fixed_sidebar": True,
}
html_static_path: list[str] = []

autodoc_member_order = "bysource"
autodoc_typehints = "description"

# The doctests of one page share one namespace. Each page stops what it started
# in its own ``testcleanup`` block, so a failing example never leaves a mock or a
# server running for the next page.
doctest_global_setup = """
import importlib.util, logging, sys
logging.getLogger("werkzeug").setLevel(logging.WARNING)
# boto 2 (tutorial_boto2) imports only on Python < 3.12: it needs the `imp` module
boto2_missing = sys.version_info >= (3, 12) or importlib.util.find_spec("boto") is None
"""
# Outputs are compared exactly: Sphinx's default flags add ELLIPSIS and
# IGNORE_EXCEPTION_DETAIL, which would let an error message drift unnoticed.
# An example that needs "..." (a random port) asks for it with ``+ELLIPSIS``.
doctest_default_flags = doctest.DONT_ACCEPT_TRUE_FOR_1
# Only ``.. doctest::`` blocks are tests; plain ``>>>`` blocks are illustrations.
doctest_test_doctest_blocks = ""
