"""Sphinx configuration of marsprobe's documentation.

Built offline with warnings as errors (``sphinx-build -W --keep-going -n``; the test suite
runs it, ``tests/test_docs.py``). Tutorials are MyST notebooks executed on every build
(myst-nb, ``force``: nothing cached across builds that could hide an error). The reference
of commands and file formats is generated at build time by ``_ext/`` from the command line's
own help and from the pydantic schemas, so it cannot drift from the code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
# Document the checkout this folder belongs to, whatever is installed.
sys.path.insert(0, str(HERE.parent / "src"))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(HERE.parent / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
)
# The tutorial kernels use matplotlib-inline (so figures are embedded): no MPLBACKEND here.
os.environ.pop("MPLBACKEND", None)

import marsprobe  # noqa: E402

project = "marsprobe"
author = "the marsprobe authors"
copyright = "marsprobe authors, MIT licence"
release = version = marsprobe.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "marsprobe_cli",
    "marsprobe_formats",
    "marsprobe_validation",
]

exclude_patterns = ["_build", "jupyter_execute", "**/.ipynb_checkpoints"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
root_doc = "index"

# --- MyST and execution -------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # every build runs every tutorial; nothing cached
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_merge_streams = True

# --- API pages from the docstrings (numpy style, read by napoleon) --------------------------
autodoc_typehints = "none"  # signatures stay readable; units and types are in the docstrings
autodoc_member_order = "bysource"
autodoc_default_options: dict[str, str] = {}
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_param = False  # types as text, not as cross-references to "array_like"
napoleon_use_rtype = False
autosummary_generate = False
# The nitpicky build (-n) checks every cross-reference; only targets outside this project
# (which have no inventory offline: intersphinx is not used) are let through.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|pathlib|pydantic|collections|typing|concurrent|os|datetime)(\..*)?"),
    (r"py:.*", r"(Path|Any|Iterable|Callable|Sequence|Mapping|Iterator|NamedTuple)"),
    # module constants named in docstrings; the API pages show functions and classes only
    (r"py:data", r"(BODIES|DISPERSIONS)"),
]

# --- HTML: furo, no remote assets -----------------------------------------------------------
html_theme = "furo"
html_title = f"marsprobe {release}"
html_static_path: list[str] = []
html_theme_options = {"navigation_with_keys": True}


# --- docstrings: the project writes |v| for a norm; reStructuredText reads |...| as a
# substitution. Escape bars outside inline literals and literal blocks, so that the API pages
# show the docstrings as written without rewriting them in the source.
def _escape_bars(line: str) -> str:
    parts = line.split("``")
    for k in range(0, len(parts), 2):  # even parts are outside ``...``
        parts[k] = parts[k].replace("|", "\\|")
    return "``".join(parts)


def _plain_bars(app, what, name, obj, options, lines: list[str]) -> None:
    literal_indent = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if literal_indent is not None:
            if line.strip() and indent <= literal_indent:
                literal_indent = None
            else:
                continue
        if line.rstrip().endswith("::"):
            literal_indent = indent
        lines[i] = _escape_bars(line)


# --- API pages: functions and classes, not module constants or NamedTuple field aliases
def _skip_data(app, what, name, obj, skip, options):
    if what in ("module", "class") and not (
        callable(obj) or isinstance(obj, type | property | classmethod | staticmethod)
    ):
        return True
    return None


# --- cross-references: the docstrings name objects as their own module sees them
# (``:class:`InputError``` inside marsprobe.time means marsprobe.errors.InputError). Resolve
# such a short name when exactly one documented object has it; otherwise leave the warning.
def _resolve_short_name(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    from sphinx.util.nodes import make_refnode

    target = node["reftarget"].lstrip("~.")
    domain = env.get_domain("py")
    hits = [
        (name, obj)
        for name, obj in domain.objects.items()
        if (name == target or name.endswith("." + target)) and not obj.aliased
    ]
    if len(hits) != 1:
        return contnode if _exists(target, node.get("py:module"), node.get("py:class")) else None
    name, obj = hits[0]
    return make_refnode(app.builder, node["refdoc"], obj.docname, obj.node_id, contnode, name)


def _exists(target: str, module: str | None, cls: str | None) -> bool:
    """Whether a reference names a real object of marsprobe that the API pages do not show
    (a private helper's module, a constant): then it is kept as text, unlinked. A name that
    exists nowhere still fails the nitpicky build."""
    import importlib

    candidates = [target]
    if module:
        candidates += [f"{module}.{cls}.{target}" if cls else "", f"{module}.{target}"]
    for dotted in filter(None, candidates):
        if not dotted.startswith("marsprobe"):
            continue
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                break
            return True
    return False


def _more_setup(app):
    app.connect("autodoc-skip-member", _skip_data)
    app.connect("missing-reference", _resolve_short_name)


def setup(app):
    app.connect("autodoc-process-docstring", _plain_bars)
    _more_setup(app)
