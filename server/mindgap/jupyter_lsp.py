"""mindgap as an extra Python language server of JupyterLab (jupyterlab-lsp / jupyter-lsp).

jupyter-lsp finds servers through the `jupyter_lsp_spec_v1` entry point (pyproject.toml):
with mindgap installed in the Jupyter server's environment, `spec` describes how to start it
(this interpreter, `-m mindgap serve`, stdio) and for which documents (Python and IPython).
jupyterlab-lsp sends a notebook as one virtual document of its code cells, which mindgap
tracks like a file.
"""

from __future__ import annotations

import sys
from typing import Any

SPEC_VERSION = 2  # jupyter-lsp's spec schema (`current-version`)


def spec(manager: Any = None) -> dict[str, dict[str, Any]]:
    """The jupyter-lsp spec of mindgap's server (`manager`: jupyter-lsp's, unused)."""
    return {
        "mindgap": {
            "version": SPEC_VERSION,
            "display_name": "mindgap",
            "argv": [sys.executable, "-m", "mindgap", "serve"],
            "languages": ["python", "ipython"],
            "mime_types": ["text/x-python", "text/python", "text/x-ipython"],
        }
    }
