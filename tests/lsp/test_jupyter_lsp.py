"""The spec jupyter-lsp reads (the `jupyter_lsp_spec_v1` entry point) starts mindgap's server."""

from __future__ import annotations

import os
from pathlib import Path

from lsprotocol import types
from pytest_lsp import make_test_lsp_client

from mindgap.jupyter_lsp import spec
from tests.lsp.conftest import wait_until


def test_the_spec_has_what_jupyter_lsp_requires() -> None:
    (name, described), *others = spec(None).items()
    assert name == "mindgap" and not others
    # jupyter-lsp's schema: argv, languages and version (2) are required
    assert described["version"] == 2
    assert "python" in described["languages"]
    assert "text/x-ipython" in described["mime_types"]
    assert described["argv"][-2:] == ["mindgap", "serve"]


async def test_the_spec_argv_starts_a_server_that_tracks_a_virtual_document(
    tmp_path: Path,
) -> None:
    """jupyterlab-lsp sends a notebook as one virtual Python document (code cells joined,
    magics turned into calls): a pasted block in it is foreign, as in a file."""
    argv = spec(None)["mindgap"]["argv"]
    client = make_test_lsp_client()
    await client.start_io(*argv, env={**os.environ, "MINDGAP_HOME": str(tmp_path / "home")})
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()
            )
        )
        uri = (tmp_path / ".virtual_documents" / "explore.ipynb").as_uri()
        text = "get_ipython().run_line_magic('matplotlib', 'inline')\nimport os\n\n\n"
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        block = "def total(items):\n    return sum(item.price for item in items)\n"
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=4, character=0),
                            end=types.Position(line=4, character=0),
                        ),
                        text=block,
                    )
                ],
            )
        )
        await wait_until(
            lambda: any(d.code == "foreign-region" for d in client.diagnostics.get(uri, []))
        )
    finally:
        await client.shutdown_session()
        await client.stop()
