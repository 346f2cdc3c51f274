"""Whether a change only reformats code: the same program before and after, laid out anew.

A formatter (black, ruff format, prettier, gofmt) rewrites lines without writing code: whoever
ran it neither practised the constructs in them nor authored the lines. So the history does
not count such a file change as practice (knowledge/history.py), and blame looks through it to
the commit that wrote the line (knowledge/authorship.py).

Two versions of a file are the same code when their syntax trees give the same tokens, leaving
out what formatters change:

- white space and line breaks (also a backslash continuing a line);
- parentheses: a grouping `( )` around an expression adds nothing (the tree's nesting says how
  operators bind, so `(a + b) * c` still differs from `a + b * c`), nor do the brackets of an
  import list or a call (the tree's nodes say what is an argument);
- a trailing comma before a closing bracket, and semicolons;
- a string's quotes (`'x'`, `"x"`, `'''x'''`), its prefix's case (`F"x"`, Python's no-op `u`),
  escaped quotes (`'it\\'s'` is `"it's"`), and the indentation of a string that stands alone as
  a statement (a docstring, which formatters re-indent);
- the case of a number (`0XFF`, `0xff`, `1E5`) and the spacing inside a comment (`#x`, `# x`).

Anything else - a renamed variable, `"{}".format(x)` made `f"{x}"`, a changed comment - is
writing code. A version that does not parse cleanly is never judged a reformat.
"""

from __future__ import annotations

import functools
import re

import tree_sitter

from mindgap.syntax.languages import LanguageSpec

# What formatting_key deletes: more than only_reformats leaves out (every `0`, and the letters
# of a string prefix - `u`, which Python ignores; `r`, `b`, `f`, which joining strings drops),
# so that equal code always has equal keys.
_FORMATTING_BYTES = b" \t\n\r\f\v'\"`(),;\\0ubfr"
_BLANK = re.compile(rb"\s+|\\\r?\n")
_LAYOUT = b" \t\n\r\f\v\\"  # deleted from a token of code (a line continuation's)
_DELIMITER = re.compile(rb"[A-Za-z0-9]*['\"`]+")  # a string's opening or closing quotes
_ESCAPED_QUOTE = re.compile(rb"\\(['\"`])")
_SKIPPED = frozenset({b"(", b")", b";"})
_CLOSING = frozenset({")", "]", "}"})
_GROUPING = frozenset({"parenthesized_expression"})
# Python's `x = a, b` is `x = (a, b)`, and `a, b = x` is `(a, b) = x`
_SAME_NODES = {"expression_list": "tuple", "pattern_list": "tuple_pattern"}
# the nodes of a string literal whose text lies between their quotes, in each grammar
_STRINGS = frozenset(
    {"string", "template_string", "string_literal", "interpreted_string_literal"}
    | {"raw_string_literal"}
)
_TEXT_HOLDERS = _STRINGS | {"concatenated_string"}
_MEANINGFUL_COMMAS = frozenset({"subscript", "print_statement"})


def formatting_key(text: bytes) -> bytes:
    """`text` without white space, quotes, parentheses, commas, semicolons and case: two
    versions that are the same code have the same key (the converse does not hold: a cheap
    first test, before the syntax trees are compared)."""
    return text.lower().translate(None, _FORMATTING_BYTES)


def only_reformats(language: LanguageSpec, old: bytes, new: bytes) -> bool:
    """Whether `new` is `old` reformatted: the same code, laid out differently (and not
    identical: an unchanged file is no reformat)."""
    if old == new or formatting_key(old) != formatting_key(new):
        return False
    parser = language.parser()
    before, after = parser.parse(old).root_node, parser.parse(new).root_node
    if before.has_error or after.has_error:
        return False
    return _same_code(before, after, language.name, PAIRED_LEVELS)


# A formatter leaves most statements as they were: the versions' statements are paired (in a
# module, a class body...) down to this depth, and only those whose text differs are compared
# token by token (a whole file's tokens cost ~20 ms per 70 KB).
PAIRED_LEVELS = 4


def _same_code(old: tree_sitter.Node, new: tree_sitter.Node, language: str, levels: int) -> bool:
    if old.text == new.text:
        return True
    old_children, new_children = old.children, new.children
    if (
        levels > 0
        and old_children
        and old.type == new.type
        and old.type not in _TEXT_HOLDERS  # a string's parts are read in its context
        and len(old_children) == len(new_children)
        and all(a.type == b.type for a, b in zip(old_children, new_children, strict=True))
    ):
        return all(
            _same_code(a, b, language, levels - 1)
            for a, b in zip(old_children, new_children, strict=True)
        )
    return code_tokens(old, language) == code_tokens(new, language)


def code_tokens(root: tree_sitter.Node, language: str) -> list[bytes]:
    """The tokens of a (cleanly parsed) syntax tree without formatting (see the module's
    doc), with a marker where each named node starts and ends."""
    tokens = _Tokens(language)
    tokens.code_of(root)
    return tokens.done()


class _Tokens:
    """The token list being built. A string's text arrives in pieces (between escapes and
    interpolations) and is joined, then normalised once whole."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.tokens: list[bytes] = []
        self.text_at: dict[int, bool] = {}  # index of a string's text -> in a docstring

    def code(self, token: bytes) -> None:
        if token:
            self.tokens.append(token)

    def text(self, piece: bytes, docstring: bool) -> None:
        last = len(self.tokens) - 1
        if last in self.text_at:
            self.tokens[last] += piece
        else:
            self.tokens.append(piece)
            self.text_at[last + 1] = docstring

    def code_of(self, root: tree_sitter.Node) -> None:
        """The tokens of code; what lies between its nodes is layout (the grammars leave
        nothing else out of the tree)."""
        stack: list[tree_sitter.Node | None] = [root]  # None: the end of a named node
        while stack:
            node = stack.pop()
            if node is None:
                self.tokens.append(b">")
                continue
            kind = node.type
            if "comment" in kind:
                self.code(b"#" + _BLANK.sub(b"", node.text or b""))
            elif node.child_count == 0:
                self.leaf(node, kind)
            elif kind in _STRINGS:
                self.string(node)
            elif kind == "concatenated_string" and self.joined(node):
                continue
            else:
                if node.is_named and kind not in _GROUPING and not _grouped_target(node):
                    self.tokens.append(b"<" + _SAME_NODES.get(kind, kind).encode())
                    stack.append(None)
                stack.extend(reversed(node.children))

    def leaf(self, node: tree_sitter.Node, kind: str) -> None:
        token = node.text or b""
        if token in _SKIPPED:
            return
        if token == b"," and self._separates(node):
            return
        if _is_number(kind):
            token = token.lower()  # and `1.` is `1.0`, `.5` is `0.5`
            if token[:1] == b".":
                token = b"0" + token
            elif token[-1:] == b".":
                token += b"0"
        self.code(token.translate(None, _LAYOUT))

    def _separates(self, comma: tree_sitter.Node) -> bool:
        """Whether a comma only separates what the tree already holds apart: in Python every
        comma but a subscript's (`a[1,]` is `a[(1,)]`) and a print statement's, so that
        `return "a",` is `return ("a",)`; elsewhere a trailing comma before a bracket."""
        if self.language == "python":
            parent = comma.parent
            return parent is None or parent.type not in _MEANINGFUL_COMMAS
        after = comma.next_sibling
        return after is not None and after.type in _CLOSING

    def string(self, node: tree_sitter.Node) -> None:
        parent = node.parent  # a string that is a statement of its own: a docstring
        docstring = (
            parent is not None
            and parent.type == "expression_statement"
            and parent.named_child_count == 1
        )
        self.tokens.append(b"<string")
        self.inside_string(node, docstring)
        self.tokens.append(b">")

    def inside_string(self, node: tree_sitter.Node, docstring: bool) -> None:
        """A string's text, also what lies between its nodes; its quotes and prefix; the
        code of its interpolations."""
        source, offset, position = node.text or b"", node.start_byte, node.start_byte
        for child in node.children:
            if child.start_byte > position:
                self.text(source[position - offset : child.start_byte - offset], docstring)
            position = child.end_byte
            kind = child.type
            token = child.text or b""
            if "interpolation" in kind or "substitution" in kind:
                self.code_of(child)
            elif child.child_count:
                self.inside_string(child, docstring)
            elif (not child.is_named or kind.endswith(("_start", "_end"))) and (
                _DELIMITER.fullmatch(token)
            ):
                self.code(b"'" + _prefix(token, self.language))
            else:
                self.text(token, docstring)
        if node.end_byte > position:
            self.text(source[position - offset : node.end_byte - offset], docstring)

    def joined(self, node: tree_sitter.Node) -> bool:
        """Python's `"a" "b"` as the one string `"ab"` it is, when its parts are plain
        strings with the same prefix; False (nothing added) otherwise."""
        prefixes, texts = set(), []
        for part in node.children:
            if part.type != "string" or part.child_count < 2:
                return False
            start, *content, end = part.children
            if any(piece.type != "string_content" for piece in content):
                return False  # an interpolation
            prefixes.add(_prefix(start.text or b"", self.language))
            texts.append(
                (part.text or b"")[
                    start.end_byte - part.start_byte : end.start_byte - part.start_byte
                ]
            )
        if len(prefixes) != 1:
            return False
        self.code(b"<string")
        self.code(b"'" + prefixes.pop())
        self.text(b"".join(texts), docstring=False)
        self.code(b"'")
        self.code(b">")
        return True

    def done(self) -> list[bytes]:
        for index, docstring in self.text_at.items():
            text = _ESCAPED_QUOTE.sub(rb"\1", self.tokens[index])
            if docstring:  # formatters re-indent docstrings and trim their ends
                text = b"\n".join(line.strip() for line in text.strip().split(b"\n"))
            self.tokens[index] = b'"' + text
        return self.tokens


def _prefix(delimiter: bytes, language: str) -> bytes:
    """A string's prefix (`rb`, `f`) from its opening quotes, in one case; Python's `u`
    changes nothing."""
    prefix = delimiter.rstrip(b"'\"`").lower()
    return prefix.replace(b"u", b"") if language == "python" else prefix


@functools.cache
def _is_number(kind: str) -> bool:
    return any(word in kind for word in ("integer", "float", "number"))


def _grouped_target(node: tree_sitter.Node) -> bool:
    """Python's `(a) = 1`, a lone assignment target in parentheses (black writes chained
    assignments so): the same as `a = 1`."""
    return (
        node.type == "tuple_pattern"
        and node.named_child_count == 1
        and not any(child.type == "," for child in node.children)
    )
