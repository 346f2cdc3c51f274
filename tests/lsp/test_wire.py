"""The editor <-> server contract (server/mindgap/lsp/wire.py) is defined once: the server
registers exactly its commands and methods, diagnostics carry its casing, and the TypeScript
the VS Code extension compiles against is what the models generate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from mindgap.findings import Spot, foreign_region_finding
from mindgap.lsp import wire
from mindgap.lsp.convert import diagnostic, spot_diagnostic
from mindgap.lsp.server import build_server
from mindgap.provenance.regions import Region
from mindgap.syntax.positions import LineIndex

GENERATED = Path(__file__).resolve().parents[2] / "vscode-client" / "src" / "common" / "wire.ts"


def test_the_checked_in_typescript_is_what_the_models_generate() -> None:
    assert GENERATED.read_text(encoding="utf-8") == wire.typescript(), (
        "vscode-client/src/common/wire.ts differs from the models: run "
        "`python -m mindgap.lsp.wire --typescript > vscode-client/src/common/wire.ts`"
    )


def test_the_generator_writes_every_command_and_its_reply_in_camel_case() -> None:
    generated = wire.typescript()
    for name, contract in wire.COMMANDS.items():
        replies = " | ".join(model.__name__ for model in contract.replies)
        assert f'"{name}": {{ arguments: {contract.arguments.__name__}; reply: {replies} }};' in (
            generated
        )
    assert "regionId: string;" in generated and "region_id" not in generated
    assert "linesCleared: number;" in generated and "decidesPass: boolean;" in generated


def test_the_server_registers_exactly_the_contracts_commands_and_methods() -> None:
    server = build_server()
    assert set(server.protocol.fm.commands) == set(wire.COMMANDS)
    custom = {method for method in server.protocol.fm.features if method.startswith("mindgap/")}
    received = {m for m, (_, sender) in wire.NOTIFICATIONS.items() if sender == "client"}
    assert custom == received


def test_the_contract_module_starts_nothing_of_the_server() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mindgap.lsp.wire; print(' '.join(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    server_side = [m for m in loaded if m.startswith(("pygls", "lsprotocol", "mindgap.lsp."))]
    assert server_side == ["mindgap.lsp.wire"]


def test_a_foreign_region_diagnostic_carries_the_contracts_data() -> None:
    text = "def f(a):\n    return a * 2\n"
    region = Region(0, len(text), text, "paste", tool="clipboard")
    finding = foreign_region_finding("app.py", LineIndex(text), region, "information")
    data = diagnostic(finding)["data"]
    assert data["regionId"] == region.id and "region_id" not in data
    parsed = wire.ForeignRegionData.model_validate(data)
    assert (parsed.kind, parsed.source, parsed.tool, parsed.lines) == (
        "foreign-region",
        "paste",
        "clipboard",
        2,
    )


def test_arguments_are_read_as_one_object_or_in_the_older_positional_form() -> None:
    span = {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 4}}
    positional = wire.read_arguments(wire.RangeArguments, ["file:///a.py", span, "paste"])
    as_object = wire.read_arguments(
        wire.RangeArguments, [{"uri": "file:///a.py", "range": span, "source": "paste"}]
    )
    assert positional == as_object and as_object.range.end.character == 4
    quiz = wire.read_arguments(wire.RegionArguments, [{"uri": "file:///a.py", "regionId": "r1"}])
    assert quiz.region_id == "r1"
    with pytest.raises(ValidationError):
        wire.read_arguments(wire.RangeArguments, [{"uri": "file:///a.py", "range": {"start": 1}}])
    with pytest.raises(wire.ArgumentsError):
        wire.read_arguments(wire.RegionArguments, [{"uri": "file:///a.py"}, {"x": 1}])


def test_spot_diagnostics_follow_their_spot_and_the_open_cells() -> None:
    text = "import os\n\n\ndef loadThing(path):\n    return os.path.exists(path)\n"
    index = LineIndex(text)
    examples = [{"file": "app.py", "line": 3, "text": "def load_thing(path):"}]
    spot = Spot(
        text.index("loadThing"),
        text.index("(path)"),
        "convention",
        "convention/naming",
        "information",
        "this repository names functions in snake_case",
        {"repository": "/repo", "examples": examples},
        "naming",
    )
    first = spot_diagnostic(spot, "/repo/x.py", index)
    assert first == diagnostic(spot.finding("/repo/x.py", index))
    assert first["relatedInformation"][0]["location"]["uri"] == "file:///repo/app.py"
    moved = spot.shifted(len("\n\n"))  # two lines typed above it
    index = LineIndex("\n\n" + text)
    again = spot_diagnostic(moved, "/repo/x.py", index)
    assert again == diagnostic(moved.finding("/repo/x.py", index))
    assert again["range"]["start"] == {"line": 5, "character": 4}

    in_cell = Spot(
        0, 6, "convention", "convention/naming", "information", "m",
        {"repository": "/repo", "examples": [{"file": "n.ipynb", "line": 1, "cell": 2}]},
    )  # fmt: skip
    closed = spot_diagnostic(in_cell, "/repo/x.py", index, lambda path, cell: None)
    assert closed["relatedInformation"][0]["location"]["uri"] == "file:///repo/n.ipynb"
    opened = spot_diagnostic(in_cell, "/repo/x.py", index, lambda path, cell: "cell://n/2")
    assert opened["relatedInformation"][0]["location"]["uri"] == "cell://n/2"
