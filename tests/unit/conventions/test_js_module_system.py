"""JavaScript/TypeScript module system: import vs require, default vs named exports."""

from __future__ import annotations

from tests.unit.conventions.other_observe import sites


def test_imports_and_module_level_requires_vote() -> None:
    code = """\
    import path from 'path';
    const fs = require('fs');
    require('dotenv');
    function lazy() { return require('heavy'); }
    const later = import('./later.js');
    """
    assert sites("javascript", "module-system", code) == [
        ("import", "esm", "import path from 'path';"),
        ("import", "commonjs", "require('fs')"),
        ("import", "commonjs", "require('dotenv')"),
    ]


def test_exports_vote_default_or_named_and_re_exports_do_not() -> None:
    code = """\
    export default function main() {}
    export const port = 8080;
    export { helper };
    export * from './more';
    export { thing } from './thing';
    export type { Shape };
    export interface Options {}
    """
    assert sites("typescript", "module-system", code) == [
        ("export", "default", "export default"),
        ("export", "named", "export"),
        ("export", "named", "export"),
    ]


def test_cjs_and_mjs_files_are_decided_by_their_extension() -> None:
    assert sites("javascript", "module-system", "const a = require('a');\n", "x.cjs") == []
    assert sites("javascript", "module-system", "import a from 'a';\n", "x.mjs") == []
