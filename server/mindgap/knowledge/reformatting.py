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

import re

import tree_sitter

from mindgap.syntax.languages import LanguageSpec

# What formatting_key deletes: more than only_reformats leaves out (every `u` and `0`, and the
# string prefixes that joining strings drops), so that equal code always has equal keys.
_FORMATTING_BYTES = re.compile(rb"(?<!\w)[rbf]{1,2}(?=['\"])|[\s'\"`(),;\\u0]+")
_BLANK = re.compile(rb"\s+|\\\r?\n")
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


def formatting_key(text: bytes) -> bytes:
    """`text` without white space, quotes, parentheses, commas, semicolons and case: two
    versions that are the same code have the same key (the converse does not hold: a cheap
    first test, before the syntax trees are compared)."""
    return _FORMATTING_BYTES.sub(b"", text.lower())


def only_reformats(language: LanguageSpec, old: bytes, new: bytes) -> bool:
    """Whether `new` is `old` reformatted: the same code, laid out differently (and not
    identical: an unchanged file is no reformat)."""
    if old == new or formatting_key(old) != formatting_key(new):
        return False
    parser = language.parser()
    before = code_tokens(parser.parse(old), language.name)
    return before is not None and before == code_tokens(parser.parse(new), language.name)


def code_tokens(tree: tree_sitter.Tree, language: str) -> list[bytes] | None:
    """The tree's tokens without formatting (see the module's doc), with a marker where each
    named node starts and ends; None when the text does not parse cleanly."""
    root = tree.root_node
    if root.has_error:
        return None
    tokens = _Tokens()
    source, offset = root.text or b"", root.start_byte
    position = root.start_byte
    # (node, inside a string's text, inside a docstring); None: the end of an open node
    stack: list[tuple[tree_sitter.Node, bool, bool] | None] = [(root, False, False)]
    open_nodes: list[tuple[int, bool, bool, bool]] = []  # end, in text, docstring, marked
    while stack:
        item = stack.pop()
        if item is None:
            end, in_text, docstring, marked = open_nodes.pop()
            tokens.gap(source[position - offset : end - offset], in_text, docstring)
            position = end
            if marked:
                tokens.code(b">")
            continue
        node, in_text, docstring = item
        tokens.gap(source[position - offset : node.start_byte - offset], in_text, docstring)
        position = node.end_byte
        kind = node.type
        if "comment" in kind:
            tokens.code(b"#" + _BLANK.sub(b"", node.text or b""))
            continue
        if node.child_count == 0:
            tokens.leaf(node, in_text, docstring, language)
            continue
        if kind == "concatenated_string" and tokens.joined(node, language):
            continue
        position = node.start_byte
        marked = node.is_named and kind not in _GROUPING and not in_text
        if marked:
            tokens.code(b"<" + _SAME_NODES.get(kind, kind).encode())
        if "interpolation" in kind or "substitution" in kind:
            in_text = docstring = False
        elif kind in _STRINGS and not in_text:
            in_text = True
            parent = node.parent  # a string that is a statement of its own: a docstring
            docstring = (
                parent is not None
                and parent.type == "expression_statement"
                and parent.named_child_count == 1
            )
        open_nodes.append((node.end_byte, in_text, docstring, marked))
        stack.append(None)
        stack.extend((child, in_text, docstring) for child in reversed(node.children))
    return tokens.done()


class _Tokens:
    """The token list being built: a string's text arrives in pieces (between escapes and
    interpolations) and is joined, then normalised once whole."""

    def __init__(self) -> None:
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

    def joined(self, node: tree_sitter.Node, language: str) -> bool:
        """Python's `"a" "b"` as the one string `"ab"` it is, when its parts are plain
        strings with the same prefix; False (nothing added) otherwise."""
        prefixes, texts = set(), []
        for part in node.children:
            if part.type != "string" or part.child_count < 2:
                return False
            start, *content, end = part.children
            if any(piece.type != "string_content" for piece in content):
                return False  # an interpolation
            prefixes.add(_prefix(start.text or b"", language))
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

    def gap(self, between: bytes, in_text: bool, docstring: bool) -> None:
        """What lies between two nodes: a string's text inside one, else only layout (or a
        token the grammar leaves out of the tree, kept)."""
        if in_text:
            if between:
                self.text(between, docstring)
        else:
            self.code(_BLANK.sub(b"", between))

    def leaf(self, node: tree_sitter.Node, in_text: bool, docstring: bool, language: str) -> None:
        token = node.text or b""
        delimiter = not node.is_named or node.type.endswith(("_start", "_end"))
        if in_text and delimiter and _DELIMITER.fullmatch(token):  # quotes, and a prefix
            self.code(b"'" + _prefix(token, language))
        elif in_text:
            self.text(token, docstring)
        elif token in _SKIPPED:
            return
        elif token == b"," and (after := node.next_sibling) is not None and after.type in _CLOSING:
            return  # a trailing comma
        elif any(word in node.type for word in ("integer", "float", "number")):
            token = token.lower()  # and `1.` is `1.0`, `.5` is `0.5`
            self.code(
                b"0" + token if token[:1] == b"." else token + b"0" if token[-1:] == b"." else token
            )
        else:
            self.code(_BLANK.sub(b"", token))

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
