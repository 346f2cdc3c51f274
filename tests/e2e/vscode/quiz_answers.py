"""The answer key of the quiz the server builds for a region, for the end-to-end test's
"developer" who answers it in VS Code. Builds the quiz with the server's own code from the
text the editor holds (read from the extension's test probe, the file is not saved).

For a notebook cell, the server's quiz reads the cell and then the earlier code cells
(lsp/notebooks.py, `NotebookService.quiz_text`): their sources follow, in order.

With `--explain EXPLANATION`: the server's verdict on that explanation of the region
(gate/explain_verify.py, first attempt), with the follow-up question's answer.

Usage: python quiz_answers.py [--explain EXPLANATION] PROBE.json URI RANGE_JSON [EARLIER_CELL...]
  -> {"questions": [...with answers]}, or with --explain: {"verdict": ..., "follow_up": {...}}
"""

from __future__ import annotations

import json
import sys

from mindgap.gate.explain_verify import verify_explanation
from mindgap.gate.quiz import build_quiz, quiz_out
from mindgap.notebooks import mask_magics
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import Pos


def ending_its_line(code: str) -> str:
    return code if code.endswith("\n") else code + "\n"


def main(arguments: list[str]) -> None:
    explanation = None
    if arguments[0] == "--explain":
        explanation, arguments = arguments[1], arguments[2:]
    probe_path, uri, range_json, *earlier_cells = arguments
    with open(probe_path, encoding="utf-8") as probe:
        text = json.load(probe)["texts"][uri]
    if earlier_cells:
        text = "".join(ending_its_line(mask_magics(code)) for code in (text, *earlier_cells))
    span = json.loads(range_json)
    document = SyntaxDocument(uri, text, language_named("python"))
    start = document.offset(Pos(span["start"]["line"], span["start"]["character"]))
    end = document.offset(Pos(span["end"]["line"], span["end"]["character"]))
    if explanation is not None:
        verdict = verify_explanation(document, start, end, explanation)
        print(json.dumps(verdict.to_dict(with_answer=True)))
        return
    quiz = build_quiz(document, start, end)
    print(quiz_out(quiz, with_answers=True).model_dump_json())


if __name__ == "__main__":
    main(sys.argv[1:])
