"""The package's import graph keeps the house plan: no cycles, LSP only in lsp/, commands
only imported by the command line.

Imports are read with ast, at module level and inside functions alike (a function-local
import hides a cycle from Python's start-up, not from the design). Imports under
`if TYPE_CHECKING:` are left out of the cycle check only: they are never executed and
only name a type for annotations.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mindgap

PACKAGE_ROOT = Path(mindgap.__file__).parent
LSP_LIBRARIES = ("pygls", "lsprotocol")


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted name as written, resolved against relative imports
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package under `root`, by dotted name (a package by its own)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno, id(node) in type_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:  # `from a import b` may name the module a.b
                yield Import(name, f"{module}.{alias.name}", node.lineno, id(node) in type_only)


def package_imports(root: Path) -> list[Import]:
    return [found for name, path in module_names(root).items() for found in imports_of(name, path)]


def internal_target(imported: str, modules: dict[str, Path]) -> str | None:
    """The package's module an import runs: the longest known prefix of the dotted name."""
    name = imported
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan)."""
    modules = module_names(root)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for found in package_imports(root):
        target = internal_target(found.imported, modules)
        if target and target != found.importer and not found.type_only:
            edges[found.importer].add(target)
    order: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = lowest[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges[module]):
            if target not in order:
                visit(target)
                lowest[module] = min(lowest[module], lowest[target])
            elif target in on_stack:
                lowest[module] = min(lowest[module], order[target])
        if lowest[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(modules):
        if module not in order:
            visit(module)
    return cycles


def is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_package_has_no_import_cycle() -> None:
    cycles = import_cycles(PACKAGE_ROOT)
    modules = module_names(PACKAGE_ROOT)
    loops = [
        f"{found.importer}:{found.line} imports {found.imported}"
        for group in cycles
        for found in package_imports(PACKAGE_ROOT)
        if found.importer in group
        and not found.type_only
        and internal_target(found.imported, modules) in set(group) - {found.importer}
    ]
    assert cycles == [], "\n".join(loops)


def test_only_the_lsp_package_imports_pygls_or_lsprotocol() -> None:
    outside = [
        f"{found.importer}:{found.line} imports {found.imported}"
        for found in package_imports(PACKAGE_ROOT)
        if any(is_within(found.imported, library) for library in LSP_LIBRARIES)
        and not is_within(found.importer, "mindgap.lsp")
    ]
    assert outside == []


def test_only_the_command_line_imports_the_commands() -> None:
    outside = [
        f"{found.importer}:{found.line} imports {found.imported}"
        for found in package_imports(PACKAGE_ROOT)
        if is_within(found.imported, "mindgap.commands")
        and not is_within(found.importer, "mindgap.commands")
        and found.importer != "mindgap.cli"
    ]
    assert outside == []


def test_only_the_entry_point_imports_the_parser() -> None:
    """The engine and the commands raise mindgap.errors' UsageError; cli.py is the parser."""
    importers = {
        found.importer
        for found in package_imports(PACKAGE_ROOT)
        if is_within(found.imported, "mindgap.cli")
    }
    assert importers <= {"mindgap.__main__"}


def git_command_lines(root: Path) -> list[str]:
    """Where a module writes a git command line: a list or tuple starting with "git"."""
    found = []
    for name, path in module_names(root).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (
                isinstance(node, (ast.List, ast.Tuple))
                and node.elts
                and isinstance(node.elts[0], ast.Constant)
                and node.elts[0].value == "git"
            ):
                found.append(f"{name}:{node.lineno}")
    return found


def test_only_vcs_runs_git() -> None:
    """One place runs git (errors, encodings, timeouts, finding the repository), the
    history reader's long-running diff and blob readers included."""
    allowed = ("mindgap.vcs:",)
    assert [
        where for where in git_command_lines(PACKAGE_ROOT) if not where.startswith(allowed)
    ] == []


def test_every_command_module_has_its_run() -> None:
    """cli.py imports `mindgap.commands.<name>` by name when the command runs."""
    parsed = ast.parse((PACKAGE_ROOT / "cli.py").read_text(encoding="utf-8"))
    named = {
        node.args[0].value
        for node in ast.walk(parsed)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_command"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }
    assert len(named) >= 12
    for module in named:
        tree = ast.parse((PACKAGE_ROOT / "commands" / f"{module}.py").read_text(encoding="utf-8"))
        assert "run" in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}, module


# -- the checks themselves: they find what they are meant to find ---------------------------


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return package


def test_a_cycle_hidden_in_a_function_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "server.py": "def parse():\n    from pkg.gate import offer\n    offer()\n",
            "gate.py": "from pkg.server import parse\n\ndef offer():\n    pass\n",
            "alone.py": "from . import gate\n",
        },
    )
    assert import_cycles(package) == [["pkg.gate", "pkg.server"]]


def test_a_cycle_through_relative_imports_and_three_modules_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a/__init__.py": "",
            "a/one.py": "from ..b import two\n",
            "b/__init__.py": "",
            "b/two.py": "from pkg.c.three import x\n",
            "c/__init__.py": "",
            "c/three.py": "import pkg.a.one\nx = 1\n",
        },
    )
    assert import_cycles(package) == [["pkg.a.one", "pkg.b.two", "pkg.c.three"]]


def test_a_type_only_import_makes_no_cycle(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "server.py": "from pkg.gate import offer\n",
            "gate.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.server import Server\n"
                "def offer(server: 'Server'):\n    pass\n"
            ),
        },
    )
    assert import_cycles(package) == []
    hidden = [found for found in package_imports(package) if found.type_only]
    assert [(found.importer, found.imported) for found in hidden] == [
        ("pkg.gate", "pkg.server.Server")
    ]


def test_a_git_command_line_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "tool.py": (
                "import subprocess\nsubprocess.run(['git', 'status'])\nkinds = ('pip', 'git')\n"
            ),
        },
    )
    assert git_command_lines(package) == ["pkg.tool:2"]
