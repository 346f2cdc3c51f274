"""vscode-client/package.json's settings against the server's `Settings` (mindgap/config.py).

The extension sends the server the settings whose description starts with "Server:"
(`serverSettingKeys` in vscode-client/src/common/settings.ts), camelCase: each must be a
`Settings` field with the same default, type, choices and lower bound. Every other `mindgap.*`
setting is the editor's own and is named in EDITOR_ONLY, so a new setting has to be put on one
side or the other.
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic.alias_generators import to_snake

from mindgap.config import Settings

CLIENT = Path(__file__).resolve().parents[2] / "vscode-client"
SERVER_MARK = "Server:"

# The editor's own settings: read by the extension, never sent to the server.
EDITOR_ONLY = {
    # The extension on or off (no server at all); the server's `enabled` is for other editors.
    "enable",
    # Which Python runs the server (common/python.ts). The server's `python` is another thing:
    # the project's interpreter, for its dependencies.
    "python",
    "serverCommand",
    # the insertion tracker (tracking.ts): what the client reports as not typed
    "track.inlineCompletions",
    "track.pastes",
    "track.foreignEdits",
    "track.quietMilliseconds",
    "track.minLines",
    "inlineCompletionTool",
    # what the extension shows
    "decorations.enable",
    "codeLens.enable",
    "hover.enable",
    "statusBar.enable",
    "quiz.onOffer",
    # vscode-languageclient's message log
    "trace.server",
}


def properties() -> dict[str, dict[str, Any]]:
    manifest = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    found = manifest["contributes"]["configuration"]["properties"]
    return {name.removeprefix("mindgap."): value for name, value in found.items()}


def server_keys(settings: dict[str, dict[str, Any]]) -> list[str]:
    return [k for k, v in settings.items() if v.get("description", "").startswith(SERVER_MARK)]


def _unset_as_none(value: Any) -> Any:
    """The extension never sends an empty string: "" in package.json is the server's None."""
    return None if value == "" else value


def _editor_type(annotation: Any) -> tuple[str, list[Any] | None]:
    """The JSON schema type and enum package.json should give a `Settings` annotation."""
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is Literal:
        return "string", list(get_args(annotation))
    return {bool: "boolean", int: "number", float: "number", str: "string"}[annotation], None


def mismatches(settings: dict[str, dict[str, Any]]) -> list[str]:
    """How the server settings in package.json differ from `Settings`."""
    problems = []
    for key in server_keys(settings):
        editor = settings[key]
        field = Settings.model_fields.get(to_snake(key))
        if field is None:
            problems.append(f"mindgap.{key}: no Settings.{to_snake(key)} on the server")
            continue
        default = field.get_default(call_default_factory=True)
        if _unset_as_none(editor.get("default")) != default:
            problems.append(f"mindgap.{key}: default {editor.get('default')!r}, server {default!r}")
        kind, choices = _editor_type(field.annotation)
        if editor.get("type") != kind or editor.get("enum", choices) != choices:
            theirs = f"{editor.get('type')} {editor.get('enum')}"
            problems.append(f"mindgap.{key}: {theirs}, server {kind} {choices}")
        lower = [m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)]
        if editor.get("minimum") != (lower[0] if lower else None):
            problems.append(f"mindgap.{key}: minimum {editor.get('minimum')}, server {lower}")
    return problems


def test_every_server_setting_in_package_json_is_a_setting_with_the_same_default() -> None:
    settings = properties()
    assert server_keys(settings), "no setting is marked for the server"
    assert mismatches(settings) == []


def test_every_other_setting_is_named_editor_only() -> None:
    settings = properties()
    assert set(settings) - set(server_keys(settings)) == EDITOR_ONLY


def test_a_drifted_default_or_a_missing_field_is_found() -> None:
    settings = properties()
    settings["quizDailyCap"] = {**settings["quizDailyCap"], "default": 6}
    settings["quizWeeklyCap"] = {"type": "number", "default": 9, "description": "Server: new"}
    assert [problem.split(":")[0] for problem in mismatches(settings)] == [
        "mindgap.quizDailyCap",
        "mindgap.quizWeeklyCap",
    ]


def test_the_extension_picks_the_server_settings_by_the_same_mark() -> None:
    source = (CLIENT / "src" / "common" / "settings.ts").read_text(encoding="utf-8")
    assert f'const SERVER_MARK = "{SERVER_MARK}";' in source


def test_docs_name_every_setting() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "vscode.md").read_text(encoding="utf-8")
    assert [key for key in properties() if f"`mindgap.{key}`" not in page] == []
