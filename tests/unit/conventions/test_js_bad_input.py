"""Every JavaScript/TypeScript, Go, Rust and Java observer survives broken and truncated code:
it reports what it can and raises nothing, and every span lies inside the text."""

from __future__ import annotations

import pytest

from mindgap.conventions.dimensions import observers_for
from tests.unit.conventions.other_observe import source_file

SAMPLES = {
    "javascript": "import a from 'a';\nconst x_y = \"s\"\nfunction f(a, b) { if (a == b) {",
    "typescript": "interface A { a: Array<string> }\ntype B = { b: number[] ;\nvar c = (",
    "tsx": 'const View = () => <div className="x">{items.map(function (i) {',
    "go": 'package p\nimport (\n\t"fmt"\n\t"github.com/x/y"\nfunc do_it( {',
    "rust": "use std::{fs, io};\nfn parseIt(x: u32 {\n    let fooBar = ",
    "java": "import java.util.*;\nclass A { static final int maxN = 1; void do_it( {",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_observers_survive_truncated_code(language: str) -> None:
    code = SAMPLES[language]
    for cut in range(0, len(code), 7):
        source = source_file(language, code[:cut] + "\x00é")
        for observer in observers_for(language):
            for observation in observer.observe(source):
                assert 0 <= observation.start <= observation.end <= len(source.text)


def test_observers_of_each_language_are_found() -> None:
    dimensions = {o.dimension for o in observers_for("typescript")}
    assert {
        "naming",
        "quotes",
        "semicolons",
        "declarations",
        "equality",
        "function-style",
        "module-system",
        "async",
        "typing-style",
    } <= dimensions
    assert "typing-style" not in {o.dimension for o in observers_for("javascript")}
    for language in ("go", "rust", "java"):
        assert {"naming", "imports"} <= {o.dimension for o in observers_for(language)}
