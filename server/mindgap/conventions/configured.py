"""Conventions a repository states in configuration: they win over what its code votes.

Read here: ruff, black and isort settings in pyproject.toml; `quote_type` in .editorconfig;
prettier (.prettierrc as JSON, or "prettier" in package.json); eslint rules in JSON-readable
config files; and mindgap's own `[tool.mindgap.conventions]` (or `[conventions]` in
.mindgap.toml), e.g.

    [tool.mindgap.conventions]
    quotes = "double"                 # every aspect of the dimension that offers the choice
    naming.function = "snake_case"    # one aspect
    string-format = "off"             # never flag this dimension
    javascript.semicolons = "never"   # one language only

Other tools' settings are named with several spellings of a choice (an observer calls the
absence of semicolons "never" or "omit"); only the spellings an observer offers take effect.
A file that cannot be read is skipped with a log line: configuration we cannot read states
nothing, and the vote decides.
"""

from __future__ import annotations

import configparser
import fnmatch
import json
import logging
import sys
from pathlib import Path
from typing import Any

from mindgap.conventions.rules import ConfiguredChoice
from mindgap.textfiles import read_regular_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

log = logging.getLogger(__name__)

PYTHON = frozenset({"python"})
SCRIPT = frozenset({"javascript", "typescript", "tsx"})
ALL_LANGUAGES = frozenset({"python", "javascript", "typescript", "tsx", "go", "rust", "java"})
_EXTENSIONS = {
    "python": ("py",),
    "javascript": ("js", "mjs", "cjs", "jsx"),
    "typescript": ("ts", "mts", "cts"),
    "tsx": ("tsx",),
}
# Spellings of one meaning, as different observers may name it.
DOUBLE = ("double",)
SINGLE = ("single",)
WITH_SEMICOLONS = ("always", "semicolon", "semicolons", "with")
WITHOUT_SEMICOLONS = ("never", "omit", "none", "no-semicolon", "no-semicolons", "without")
STRICT_EQUALITY = ("strict", "===", "triple")
NO_VAR = ("const-let", "let-const", "const", "let/const", "block-scoped")
ARROW = ("arrow", "arrow-function")
SINGLE_LINE_IMPORTS = ("single-line", "one-per-line", "separate")


def _choices(
    languages: frozenset[str],
    dimension: str,
    spellings: tuple[str, ...],
    configured_by: str,
    aspect: str | None = None,
) -> list[ConfiguredChoice]:
    return [
        ConfiguredChoice(
            languages=languages,
            dimension=dimension,
            aspect=aspect,
            choice=choice,
            configured_by=configured_by,
        )
        for choice in spellings
    ]


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_regular_file(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as error:
        log.warning("%s: not read for conventions: %s", path, error)
        return {}


def _json(path: Path) -> Any:
    try:
        return json.loads(read_regular_file(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        log.info("%s: not JSON-readable, its conventions are not used: %s", path, error)
        return None


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def python_tools(pyproject: dict[str, Any]) -> list[ConfiguredChoice]:
    found: list[ConfiguredChoice] = []
    ruff = _get(pyproject, "tool", "ruff") or {}
    quote_style = _get(ruff, "format", "quote-style")
    if quote_style in ("double", "single"):
        # ruff keeps docstrings and triple-quoted strings in double quotes whatever the style
        found += _choices(
            PYTHON,
            "quotes",
            DOUBLE if quote_style == "double" else SINGLE,
            "pyproject.toml [tool.ruff.format] quote-style",
            aspect=None if quote_style == "double" else "string",
        )
    for table, name in ((_get(ruff, "lint"), "tool.ruff.lint"), (ruff, "tool.ruff")):
        inline = _get(table, "flake8-quotes", "inline-quotes")
        if inline in ("double", "single") and not quote_style:
            found += _choices(
                PYTHON,
                "quotes",
                DOUBLE if inline == "double" else SINGLE,
                f"pyproject.toml [{name}.flake8-quotes] inline-quotes",
                aspect="string",
            )
            break
    black = _get(pyproject, "tool", "black")
    normalizes = isinstance(black, dict) and not black.get(
        "skip-string-normalization", black.get("skip_string_normalization")
    )
    if normalizes and not quote_style:
        found += _choices(
            PYTHON, "quotes", DOUBLE, "pyproject.toml [tool.black] (normalizes strings)"
        )
    isort = _get(pyproject, "tool", "isort") or {}
    if isort.get("force_single_line") or isort.get("force-single-line"):
        found += _choices(
            PYTHON, "imports", SINGLE_LINE_IMPORTS, "pyproject.toml [tool.isort] force_single_line"
        )
    return found


def mindgap_table(table: Any, configured_by: str) -> list[ConfiguredChoice]:
    """`[tool.mindgap.conventions]`: dimension = choice | "off", dimension.aspect = choice,
    and the same under a language's name for that language only."""
    found: list[ConfiguredChoice] = []
    if not isinstance(table, dict):
        return found

    def visit(entries: dict[str, Any], languages: frozenset[str], prefix: str) -> None:
        for key, value in entries.items():
            where = f"{configured_by} {prefix}{key}"
            if key in ALL_LANGUAGES and isinstance(value, dict) and not prefix:
                visit(value, frozenset({key}), f"{key}.")
            elif isinstance(value, str):
                found.extend(_choices(languages, key, (value,), where))
            elif isinstance(value, dict):
                for aspect, choice in value.items():
                    if isinstance(choice, str):
                        found.extend(
                            _choices(languages, key, (choice,), f"{where}.{aspect}", aspect=aspect)
                        )

    visit(table, ALL_LANGUAGES, "")
    return found


def editorconfig(path: Path) -> list[ConfiguredChoice]:
    """`quote_type = single|double` in sections that match a language's files."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string("[__preamble__]\n" + read_regular_file(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        log.warning("%s: not read for conventions: %s", path, error)
        return []
    found: list[ConfiguredChoice] = []
    for section in parser.sections():
        quote = parser.get(section, "quote_type", fallback="").strip().lower()
        if quote not in ("single", "double"):
            continue
        languages = frozenset(
            language
            for language, extensions in _EXTENSIONS.items()
            if any(_section_matches(section, ext) for ext in extensions)
        )
        if languages:
            found += _choices(
                languages,
                "quotes",
                DOUBLE if quote == "double" else SINGLE,
                f".editorconfig [{section}] quote_type",
            )
    return found


def _section_matches(section: str, extension: str) -> bool:
    patterns = [section]
    if "{" in section and "}" in section:  # [*.{js,ts}]
        head, _, rest = section.partition("{")
        options, _, tail = rest.partition("}")
        patterns = [f"{head}{option}{tail}" for option in options.split(",")]
    return any(fnmatch.fnmatch(f"file.{extension}", p.lstrip("/").split("/")[-1]) for p in patterns)


def prettier(settings: Any, configured_by: str) -> list[ConfiguredChoice]:
    if not isinstance(settings, dict):
        return []
    found: list[ConfiguredChoice] = []
    if isinstance(settings.get("singleQuote"), bool):
        found += _choices(
            SCRIPT,
            "quotes",
            SINGLE if settings["singleQuote"] else DOUBLE,
            f"{configured_by} singleQuote",
        )
    if isinstance(settings.get("semi"), bool):
        found += _choices(
            SCRIPT,
            "semicolons",
            WITH_SEMICOLONS if settings["semi"] else WITHOUT_SEMICOLONS,
            f"{configured_by} semi",
        )
    return found


def _eslint_setting(value: Any) -> tuple[bool, list[Any]]:
    """(is on, its options) of an eslint rule entry: "error", 2, ["error", "single"]."""
    level, options = (
        (value[0], list(value[1:])) if isinstance(value, list) and value else (value, [])
    )
    return level not in ("off", 0, "0", None), options


def eslint_rules(rules: Any, configured_by: str) -> list[ConfiguredChoice]:
    if not isinstance(rules, dict):
        return []
    found: list[ConfiguredChoice] = []
    for name, value in rules.items():
        on, options = _eslint_setting(value)
        if not on:
            continue
        where = f"{configured_by} rules.{name}"
        first = options[0] if options else None
        if name in ("quotes", "@stylistic/quotes") and first in ("single", "double"):
            found += _choices(SCRIPT, "quotes", SINGLE if first == "single" else DOUBLE, where)
        elif name in ("semi", "@stylistic/semi"):
            spellings = WITHOUT_SEMICOLONS if first == "never" else WITH_SEMICOLONS
            found += _choices(SCRIPT, "semicolons", spellings, where)
        elif name == "eqeqeq":
            found += _choices(SCRIPT, "equality", STRICT_EQUALITY, where)
        elif name == "no-var":
            found += _choices(SCRIPT, "declarations", NO_VAR, where)
        elif name == "prefer-arrow-callback":
            found += _choices(SCRIPT, "function-style", ARROW, where, aspect="callback")
    return found


def configured_choices(root: Path) -> list[ConfiguredChoice]:
    """Everything the repository's configuration states about conventions, weakest first
    (a later statement about the same aspect replaces an earlier one): other tools, then
    mindgap's own table."""
    found: list[ConfiguredChoice] = []
    pyproject_path = root / "pyproject.toml"
    pyproject = _toml(pyproject_path) if pyproject_path.is_file() else {}
    found += python_tools(pyproject)
    if (root / ".editorconfig").is_file():
        found += editorconfig(root / ".editorconfig")
    package = _json(root / "package.json") if (root / "package.json").is_file() else None
    for name in (".prettierrc", ".prettierrc.json"):
        if (root / name).is_file():
            found += prettier(_json(root / name), name)
            break
    else:
        found += prettier(_get(package, "prettier"), "package.json prettier")
    for name in (".eslintrc.json", ".eslintrc", "eslint.config.json"):
        if (root / name).is_file():
            config = _json(root / name)
            # a flat config is a list of objects, each with its own rules
            for part in config if isinstance(config, list) else [config]:
                found += eslint_rules(_get(part, "rules"), name)
            break
    else:
        found += eslint_rules(_get(package, "eslintConfig", "rules"), "package.json eslintConfig")
    found += mindgap_table(
        _get(pyproject, "tool", "mindgap", "conventions"),
        "pyproject.toml [tool.mindgap.conventions]",
    )
    if (root / ".mindgap.toml").is_file():
        found += mindgap_table(
            _get(_toml(root / ".mindgap.toml"), "conventions"), ".mindgap.toml [conventions]"
        )
    return found


# Files whose change alters configured rules or declared dependencies (not source files).
CONFIGURATION_FILES = frozenset(
    {
        "pyproject.toml",
        ".mindgap.toml",
        ".editorconfig",
        ".prettierrc",
        ".prettierrc.json",
        "package.json",
        ".eslintrc",
        ".eslintrc.json",
        "eslint.config.json",
        "setup.cfg",
        "go.mod",
        "Cargo.toml",
    }
)


def is_configuration_file(name: str) -> bool:
    return name in CONFIGURATION_FILES or (
        name.startswith("requirements") and name.endswith(".txt")
    )
