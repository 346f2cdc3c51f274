"""End to end in a real VS Code: code-server 4.100.3 with the mindgap .vsix and a fixture
assistant extension, driven by headless Chromium (driver.mjs beside this file).

The developer opens a Python file, types the start of a function, accepts the assistant's
inline suggestion with Tab, sees mindgap's diagnostic and CodeLens, answers the quiz in the
QuickPick, and sees the region become understood and the debt in the status bar go down.
The same in a notebook (.ipynb, VS Code's built-in serializer): in its last code cell, whose
document reaches the server through LSP notebook sync. And the explain flow on the same
suggestion: a false explanation refused with the server's reason, then one in plain words
accepted and its follow-up tracing question answered in a QuickPick. Screenshots of each step
are saved under test-artifacts/vscode/<file>/ (prices-explain/ for the explain flow).

Needs: code-server (tests/e2e/vscode/install-code-server.sh, run by .ci/run), node, Debian's
chromium, playwright-core (`npm ci --prefix tests/e2e/browser`) and the built extension
(`npm run package` in vscode-client/, run by tests/run-all.sh). In CI
(MINDGAP_REQUIRE_EDITORS) anything missing fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.vscode.harness import (
    HERE,
    REPO_ROOT,
    CodeServer,
    MissingTool,
    Tools,
    find_tools,
    notebook_repository,
    run_driver,
    running_code_server,
)
from tests.fixtures.gitrepo import GitRepo

pytestmark = pytest.mark.e2e

ARTIFACTS = REPO_ROOT / "test-artifacts" / "vscode"

STEP_TIMEOUT_MS = 30_000
OFFER_TIMEOUT_MS = 8_000  # the quiz the server offers on accept, before the CodeLens is used
DRIVER_TIMEOUT_S = 300

APP = '"""Prices."""\n\n\ndef main():\n    return 0\n'
TYPED = "def total_price(items):"
SETTINGS = {
    "mindgap.python": sys.executable,
    "mindgap.quizOnAccept": "always",  # a fresh ledger knows no constructs: offer anyway
    "mindgap.quizCooldownMinutes": 0,
    "mindgap.inlineCompletionTool": "Fixture Assistant",
}


@pytest.fixture
def tools() -> Tools:
    try:
        return find_tools()
    except MissingTool as missing:
        if os.environ.get("MINDGAP_REQUIRE_EDITORS"):
            pytest.fail(f"{missing}, and MINDGAP_REQUIRE_EDITORS asks for it (as CI does)")
        pytest.skip(str(missing))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A real git repository with one commit of one small, hand-written Python file."""
    repo = GitRepo(tmp_path / "repo", author=("Dev", "dev@example.com"))
    repo.commit("start", {"prices.py": APP})
    return repo.path


@pytest.fixture
def code_server(tools: Tools, tmp_path: Path, workspace: Path) -> Iterator[CodeServer]:
    with running_code_server(tools, tmp_path, workspace, SETTINGS) as server:
        yield server


NOTEBOOK = "basket.ipynb"
NOTEBOOK_CELLS = [  # (kind, nbformat cell id, source): hand-written and committed
    ("markdown", "intro", "# Basket\nPrices of what is in the basket."),
    ("code", "basket", "basket = [12, 30, 7]\nprint(sum(basket))"),
    ("code", "totals", "print(len(basket))"),
]


@pytest.fixture
def notebook_workspace(tmp_path: Path) -> Path:
    return notebook_repository(tmp_path / "repo", NOTEBOOK, NOTEBOOK_CELLS)


@dataclass
class Run:
    result: dict[str, Any]
    code_server_log: Path
    user_data: Path  # its logs/ hold the extension's output channels
    output: str
    artifacts: Path
    server_log: Path | None = None  # `mindgap serve --log-file`, when the test set one

    def step(self, name: str) -> dict[str, Any]:
        found = next((s for s in self.result["steps"] if s["name"] == name), None)
        assert found is not None, f"the driver never got to step {name!r}\n{self.report()}"
        return found

    def report(self) -> str:
        steps = [
            {key: value for key, value in step.items() if key != "probe"}
            for step in self.result.get("steps", [])
        ]
        last_probe = (self.result.get("steps") or [{}])[-1].get("probe")
        parts = [
            f"driver error: {self.result.get('error')}",
            f"steps:\n{json.dumps(steps, indent=1)[:12000]}",
            f"last probe:\n{json.dumps(last_probe, indent=1)[:8000]}",
            f"browser console errors: {self.result.get('console')}",
            f"driver output:\n{self.output[-3000:]}",
            f"code-server log:\n{self.code_server_log.read_text(errors='replace')[-6000:]}",
        ]
        for log in sorted(self.user_data.glob("logs/**/*mindgap*.log")):  # output channels
            parts.append(f"{log.name}:\n{log.read_text(errors='replace')[-6000:]}")
        if self.server_log is not None and self.server_log.exists():
            parts.append(f"mindgap serve log (without pygls):\n{mindgap_lines(self.server_log)}")
        parts.append(f"screenshots: {self.artifacts}")
        return "\n\n".join(parts)


def mindgap_lines(log: Path) -> str:
    lines = log.read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if " pygls." not in line)[-6000:]


def drive(
    tools: Tools,
    server: CodeServer,
    workspace: Path,
    tmp_path: Path,
    file_name: str = "prices.py",
    artifacts_name: str | None = None,  # the folder under test-artifacts/vscode/
    server_log: Path | None = None,
    **scenario_extra: Any,
) -> Run:
    artifacts = ARTIFACTS / (artifacts_name or Path(file_name).stem)
    shutil.rmtree(artifacts, ignore_errors=True)
    artifacts.mkdir(parents=True)
    scenario = {
        "url": server.url,
        "folder": str(workspace),
        "file": str(workspace / file_name),
        "fileName": file_name,
        "typed": TYPED,
        "probe": str(server.probe),
        "artifacts": str(artifacts),
        "answersCommand": [sys.executable, str(HERE / "quiz_answers.py")],
        "stepTimeoutMs": STEP_TIMEOUT_MS,
        "offerTimeoutMs": OFFER_TIMEOUT_MS,
        **scenario_extra,
    }
    result, output = run_driver(tools, HERE / "driver.mjs", scenario, tmp_path, DRIVER_TIMEOUT_S)
    run = Run(result, server.log, server.user_data, output, artifacts, server_log)
    (artifacts / "driver-result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    if result.get("error"):
        pytest.fail(f"the VS Code run failed\n\n{run.report()}", pytrace=False)
    print(run.report())  # shown by pytest when an assertion below fails
    return run


def test_accepting_a_suggestion_in_vscode_is_flagged_quizzed_and_understood(
    tools: Tools, code_server: CodeServer, workspace: Path, tmp_path: Path
) -> None:
    run = drive(tools, code_server, workspace, tmp_path)
    uri = (workspace / "prices.py").as_uri()

    started = run.step("workbench")
    assert started["server"]["command"]["command"] == sys.executable  # the mindgap.python setting
    assert (code_server.mindgap_home / "mindgap.sqlite3").exists()  # MINDGAP_HOME honoured

    opened = run.step("opened")
    assert opened["diagnostics"] == []  # committed, hand-written code: silence
    debt_before = opened["probe"]["debt"]
    assert opened["statusBar"]["text"] == f"$(mortar-board) debt {debt_before['debtLines']} lines"

    shown = run.step("suggestion-shown")
    ghost = "".join(shown["ghostText"]).replace("\xa0", " ")  # one element per token
    assert "prices = [price for price in items if price > 0]" in ghost

    accepted = run.step("accepted")
    (reported,) = accepted["reported"]
    assert reported["source"] == "inline-completion"
    assert reported["tool"] == "Fixture Assistant"
    # the suggested code: from its first line's indentation (0-based line 8) to its end
    assert reported["range"] == {
        "start": {"line": 8, "character": 4},
        "end": {"line": 10, "character": len("    return total if total < 100 else 100")},
    }
    assert "    return total if total < 100 else 100" in accepted["editorText"].replace("\xa0", " ")
    (region,) = accepted["regions"]
    assert region["source"] == "inline-completion" and region["tool"] == "Fixture Assistant"
    assert region["state"] == "pending"
    assert accepted["lensText"].startswith("AI-inserted · ")
    assert "Quiz" in accepted["lensText"] and "Hand-write" in accepted["lensText"]
    assert accepted["decorations"]["pending"], "no gutter mark / background on the region"
    diagnostics = accepted["probe"]["diagnostics"][uri]
    assert any(d["code"] == "foreign-region" for d in diagnostics)
    assert accepted["debt"]["pendingLines"] == 3
    debt_accepted = accepted["debt"]["debtLines"]
    assert accepted["statusBar"]["text"] == f"$(mortar-board) debt {debt_accepted} lines"

    quiz = run.result["quiz"]["questions"]
    assert quiz, "the server built no quiz for the accepted code"
    quiz_opened = run.step("quiz-opened")
    assert quiz_opened["title"].startswith(f"mindgap quiz 1/{len(quiz)}")
    for number, question in enumerate(quiz, start=1):
        asked = run.step(f"question-{number}")
        if question["choices"]:
            assert [row.split("\n")[0] for row in asked["shown"]] == question["choices"]

    feedback = run.step("feedback")
    all_right = f"{len(quiz)} of {len(quiz)} right: the code counts as understood."
    assert feedback["title"] == f"mindgap: {all_right}"
    assert all("$(check)" not in row for row in feedback["rows"])  # icons render, not their names

    understood = run.step("understood")
    (region_after,) = understood["regions"]
    assert region_after["state"] == "understood"
    assert understood["decorations"]["pending"] == []  # the mark and background are gone
    assert not any("AI-inserted" in text for text in understood["lensTexts"])
    debt_after = understood["debt"]
    assert debt_after["understoodLines"] > debt_before["understoodLines"]
    assert debt_after["pendingLines"] == debt_before["pendingLines"]
    assert accepted["debt"]["debtLines"] > debt_after["debtLines"]  # the debt went down
    assert understood["statusText"].endswith(f"debt {debt_after['debtLines']} lines")  # on the page

    assert run.step("report")["reportOpen"]


def test_accepting_a_suggestion_in_a_notebook_cell_is_flagged_and_quizzed_in_that_cell(
    tools: Tools, tmp_path: Path, notebook_workspace: Path
) -> None:
    earlier_code = [source for kind, _, source in NOTEBOOK_CELLS[:-1] if kind == "code"]
    with running_code_server(tools, tmp_path, notebook_workspace, SETTINGS) as server:
        run = drive(
            tools,
            server,
            notebook_workspace,
            tmp_path,
            file_name=NOTEBOOK,
            notebook=True,
            earlierCells=earlier_code,  # what the server's quiz reads after the cell
        )
    notebook_path = str(notebook_workspace / NOTEBOOK)

    opened = run.step("opened")
    assert opened["cells"] == {"code": 2, "markdown": 1}  # the notebook editor, not the JSON
    assert opened["diagnostics"] == []  # committed, hand-written cells: silence

    shown = run.step("suggestion-shown")
    ghost = "".join(shown["ghostText"]).replace("\xa0", " ")
    assert "prices = [price for price in items if price > 0]" in ghost

    accepted = run.step("accepted")
    cell_uri = accepted["uri"]
    assert cell_uri.startswith("vscode-notebook-cell:")  # the cell's document, not the file
    (reported,) = accepted["reported"]
    assert reported["textDocument"]["uri"] == cell_uri
    assert reported["source"] == "inline-completion"
    assert reported["tool"] == "Fixture Assistant"
    # lines within the cell: print(...), a blank line, the typed def, then the suggestion
    assert reported["range"] == {
        "start": {"line": 3, "character": 4},
        "end": {"line": 5, "character": len("    return total if total < 100 else 100")},
    }
    # the server knows the cell under the URI the extension reported: its region and its
    # diagnostics come back on that cell, and the editor marks the lines there
    (region,) = accepted["regions"]
    assert region["source"] == "inline-completion" and region["state"] == "pending"
    assert region["range"]["start"]["line"] == 3
    diagnostics = accepted["probe"]["diagnostics"][cell_uri]
    assert any(d["code"] == "foreign-region" for d in diagnostics)
    other_cells = [
        uri
        for uri in accepted["probe"]["diagnostics"]
        if uri != cell_uri and notebook_path in uri.replace("%2F", "/")
    ]
    assert other_cells == []  # the marking is in that cell only
    assert accepted["decorations"]["pending"] == [[3, 5]]
    assert accepted["lensText"].startswith("AI-inserted · ")
    assert accepted["debt"]["pendingLines"] == 3
    # stored under the notebook's file and the cell's nbformat id, where `mindgap check` and
    # the commit gate find it
    with closing(sqlite3.connect(server.mindgap_home / "mindgap.sqlite3")) as store:
        stored = store.execute("SELECT path, source FROM regions").fetchall()
    assert stored == [(f"{notebook_path}#totals", "inline-completion")]

    quiz = run.result["quiz"]["questions"]
    assert quiz, "the server built no quiz for the code accepted in the cell"
    assert run.step("quiz-opened")["title"].startswith(f"mindgap quiz 1/{len(quiz)}")
    for number, question in enumerate(quiz, start=1):
        asked = run.step(f"question-{number}")
        if question["choices"]:
            assert [row.split("\n")[0] for row in asked["shown"]] == question["choices"]
    feedback = run.step("feedback")
    all_right = f"{len(quiz)} of {len(quiz)} right: the code counts as understood."
    assert feedback["title"] == f"mindgap: {all_right}"

    understood = run.step("understood")
    (region_after,) = understood["regions"]
    assert region_after["state"] == "understood"
    assert understood["decorations"]["pending"] == []
    assert understood["debt"]["understoodLines"] > accepted["debt"]["understoodLines"]


# Explanations of the fixture assistant's total_price body (checked with `mindgap explain`):
# one the code's facts contradict (min(..., default=0) never raises), one in plain words.
FALSE_EXPLANATION = "Adds the prices and raises ValueError when the list is empty."
RIGHT_EXPLANATION = (
    "It keeps the positive prices from items, adds them up minus the cheapest one, "
    "and returns that sum capped at 100."
)


def returned_by(code: str, call: str) -> str:
    """What `call` returns after `code` ran, in a Python of its own (not the test's process)."""
    ran = subprocess.run(
        [sys.executable, "-I", "-c", f"{code}\nprint(repr({call}))"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return ran.stdout.strip()


def test_explaining_a_suggestion_in_vscode_refuses_a_false_claim_then_one_question_decides(
    tools: Tools, os_sandbox: None, tmp_path: Path, workspace: Path
) -> None:
    no_quiz_offer = {**SETTINGS, "mindgap.quizOnAccept": "never"}  # the developer explains
    server_log = tmp_path / "mindgap-serve.log"  # what the sandbox ran, for a failure's report
    serve = [sys.executable, "-m", "mindgap", "serve", "--log-file", str(server_log)]
    no_quiz_offer["mindgap.serverCommand"] = serve
    with running_code_server(tools, tmp_path, workspace, no_quiz_offer) as server:
        explain = {"refused": FALSE_EXPLANATION, "accepted": RIGHT_EXPLANATION}
        run = drive(
            tools,
            server,
            workspace,
            tmp_path,
            artifacts_name="prices-explain",
            server_log=server_log,
            explain=explain,
        )
    uri = (workspace / "prices.py").as_uri()

    accepted = run.step("accepted")
    (region,) = accepted["regions"]
    assert region["state"] == "pending"
    assert "Explain" in accepted["lensText"]

    # the false claim: refused with the server's reason on screen, the region still foreign
    refused = run.step("explain-refused")
    assert refused["inputTitle"] == "mindgap: explain this code"
    reason = "Not accepted: it says ValueError, which this code never raises."
    assert refused["note"]["text"] == reason
    assert refused["toast"] == f"mindgap: {reason}"
    (still,) = refused["regions"]
    assert still["state"] == "pending"
    assert any(d["code"] == "foreign-region" for d in refused["diagnostics"])
    assert refused["decorations"]["pending"], "the region's mark went away on a refusal"
    assert any("AI-inserted" in text for text in refused["lensTexts"])

    # plain words: accepted, what they missed shown, and one tracing question in a QuickPick
    asked = run.step("follow-up-asked")
    verdict = run.result["explainVerdict"]
    assert verdict["verdict"] == "check"
    assert asked["toast"] == f"mindgap: {verdict['message']}"
    assert asked["toast"].startswith("mindgap: Accepted.")
    follow_up = verdict["follow_up"]
    assert follow_up["type"] == "return-value"  # the kind explain_verify asks first
    assert asked["title"] == f"mindgap: one question decides: {follow_up['prompt'].splitlines()[0]}"
    assert [row.split("\n")[0] for row in asked["shown"]] == follow_up["choices"]
    # the key, checked by running the editor's code apart from mindgap
    call = re.search(r"What does `(.+?)` return\?", follow_up["prompt"])
    assert call is not None, follow_up["prompt"]
    code = accepted["probe"]["texts"][uri]
    assert returned_by(code, call.group(1)) == follow_up["answer"]

    answered = run.step("follow-up-answered")
    assert answered["answered"] == follow_up["answer"]
    assert answered["toast"] == "mindgap: Explained and traced: the code counts as understood."

    understood = run.step("understood")
    (region_after,) = understood["regions"]
    assert region_after["state"] == "understood"
    assert understood["decorations"]["pending"] == []
    assert not any("AI-inserted" in text for text in understood["lensTexts"])
    # the region's diagnostic stays as a hint of where the code came from
    (hint,) = [d for d in understood["probe"]["diagnostics"][uri] if d["code"] == "foreign-region"]
    assert hint["severity"] == "Hint" and hint["message"].endswith(" - understood")
    assert understood["debt"]["understoodLines"] > accepted["debt"]["understoodLines"]
    assert understood["debt"]["debtLines"] < accepted["debt"]["debtLines"]
    assert understood["statusText"].endswith(f"debt {understood['debt']['debtLines']} lines")

    # the ledger: the refusal, the accepted explanation, then the follow-up that passed it
    with closing(sqlite3.connect(server.mindgap_home / "mindgap.sqlite3")) as store:
        explained = [
            json.loads(detail)
            for (detail,) in store.execute(
                "SELECT detail FROM events WHERE region_id = ? AND kind = 'explained' ORDER BY id",
                (region["id"],),
            )
        ]
        attempts = [
            json.loads(detail)
            for (detail,) in store.execute("SELECT detail FROM events WHERE kind = 'quizzed'")
        ]
        (state,) = store.execute(
            "SELECT state FROM regions WHERE id = ?", (region["id"],)
        ).fetchone()
    false_claim, plain_words, traced = explained
    assert false_claim["explanation"] == FALSE_EXPLANATION
    assert false_claim["verdict"] == "refused" and false_claim["contradictions"]
    assert false_claim["passed"] is False
    assert plain_words["explanation"] == RIGHT_EXPLANATION
    assert plain_words["verdict"] == "check" and plain_words["passed"] is False
    assert plain_words["follow_up"]["prompt"] == follow_up["prompt"]
    assert traced["follow_up_answer"] == follow_up["answer"]
    assert traced["follow_up_correct"] is True and traced["passed"] is True
    assert traced["state"] == "understood" and state == "understood"
    # the question counts as shown: a later attempt on this code gets a fresh one
    (attempt,) = attempts
    assert attempt["shown"] == [follow_up["fingerprint"]] and attempt["passed"] is True
