"""Library API uses in Python, resolved through the file's imports (real tree-sitter parses)."""

from __future__ import annotations

import textwrap

from mindgap.knowledge.apis import (
    api_construct,
    find_api_uses,
    imported_names,
    is_standard_library,
)
from mindgap.knowledge.catalogue import ConstructHit
from mindgap.syntax.languages import language_named


def parse(source: str):
    return language_named("python").parser().parse(source.encode("utf-8")).root_node


def uses(source: str) -> list[str]:
    return [hit.construct.name for hit in find_api_uses(parse(textwrap.dedent(source)))]


def test_module_import_and_attribute_call() -> None:
    assert uses("import itertools\nfor k, g in itertools.groupby(rows):\n    pass\n") == [
        "itertools.groupby"
    ]


def test_from_import_used_as_decorator() -> None:
    source = """
        from functools import singledispatch

        @singledispatch
        def render(value):
            pass
    """
    assert uses(source) == ["functools.singledispatch"]


def test_aliased_module() -> None:
    assert uses("import numpy as np\nv = np.array([1, 2])\n") == ["numpy.array"]


def test_aliased_member() -> None:
    assert uses("from re import compile as rc\nword = rc(r'\\w+')\n") == ["re.compile"]


def test_aliased_dotted_module() -> None:
    assert uses("import xml.etree.ElementTree as ET\nroot = ET.parse(path)\n") == [
        "xml.etree.ElementTree.parse"
    ]


def test_dotted_import_binds_its_top_package() -> None:
    assert uses("import os.path\np = os.path.join(a, b)\nq = os.getcwd()\n") == [
        "os.path.join",
        "os.getcwd",
    ]


def test_a_local_variable_is_not_an_api() -> None:
    source = """
        import itertools
        frame = load()
        groups = frame.groupby('key')
    """
    assert uses(source) == []


def test_a_file_without_imports_uses_no_api() -> None:
    assert uses("x = rows.groupby(key)\nprint(len(x))\n") == []


def test_the_chain_is_followed_through_attributes_but_not_through_calls() -> None:
    source = "import numpy as np\nn = np.linalg.norm(np.array(v).reshape(2, 2))\n"
    assert uses(source) == ["numpy.linalg.norm", "numpy.array"]


def test_a_module_named_alone_is_not_an_api_use() -> None:
    assert uses("import itertools\nimport numpy as np\nprint(itertools, np)\n") == []


def test_a_member_named_alone_is_an_api_use() -> None:
    assert uses("from collections import OrderedDict\nregistry = OrderedDict\n") == [
        "collections.OrderedDict"
    ]


def test_names_that_only_look_like_the_import_are_not_uses() -> None:
    source = """
        import json
        config.json = load(json=1)
        def save(json):
            return json.dumps(data)
        for json in documents:
            pass
    """
    assert uses(source) == []


def test_imports_anywhere_in_the_file_count() -> None:
    source = """
        def load(path):
            import json
            with open(path) as handle:
                return json.load(handle)
    """
    assert uses(source) == ["json.load"]


def test_relative_and_wildcard_imports_are_not_resolved() -> None:
    source = "from . import models\nfrom math import *\nuser = models.User()\nr = sqrt(2)\n"
    assert uses(source) == []
    assert set(imported_names(parse(source))) == set()


def test_only_uses_inside_the_range_are_reported_but_all_imports_count() -> None:
    source = textwrap.dedent(
        """
        import itertools
        from functools import reduce

        first = itertools.chain(a, b)
        total = reduce(add, first)
        pairs = itertools.product(a, b)
        """
    )
    root = parse(source)
    start = source.index("total")
    end = source.index("pairs")
    hits = find_api_uses(root, start, end)
    assert [hit.construct.name for hit in hits] == ["functools.reduce"]
    (hit,) = hits
    assert hit.start_point == (5, 8)
    assert source.encode()[hit.start_byte : hit.end_byte] == b"reduce"


def test_the_hit_spans_the_whole_qualified_use() -> None:
    source = "import os\nos.path.join(a, b)\n"
    (hit,) = find_api_uses(parse(source))
    assert isinstance(hit, ConstructHit)
    assert source.encode()[hit.start_byte : hit.end_byte] == b"os.path.join"
    assert hit.start_point == (1, 0)
    assert hit.end_point == (1, 12)


def test_hits_are_constructs_of_the_library_api_family() -> None:
    (hit,) = find_api_uses(parse("import itertools\nitertools.groupby(rows)\n"))
    construct = hit.construct
    assert construct.language == "python"
    assert construct.id == "api:itertools.groupby"
    assert construct.key == "python/api:itertools.groupby"
    assert construct.name == "itertools.groupby"
    assert construct.family == "library API"
    assert construct.explanation.startswith("`itertools.groupby` from the itertools module")
    assert "standard library" in construct.explanation


def test_third_party_apis_say_they_are_not_in_the_standard_library() -> None:
    assert is_standard_library("asyncio.gather")
    assert not is_standard_library("numpy.array")
    assert "not in the standard library" in api_construct("numpy.array", "numpy").explanation


def test_a_later_import_of_the_same_name_wins() -> None:
    source = "import json\nimport ujson as json\njson.loads(text)\n"
    assert uses(source) == ["ujson.loads"]


def test_imported_names_describe_each_binding() -> None:
    bound = imported_names(parse("import numpy as np\nfrom re import compile as rc, sub\n"))
    assert bound["np"].target == "numpy" and bound["np"].is_module
    assert bound["rc"].target == "re.compile" and not bound["rc"].is_module
    assert bound["sub"].target == "re.sub" and bound["sub"].module == "re"


def test_attributes_of_library_values_are_not_apis() -> None:
    source = """
        from flask import g
        import StringIO
        from StringIO import StringIO as S
        import sys

        g.db.row_factory = None
        buffer = StringIO.StringIO.StringIO()
        other = S.StringIO
        sys.stdout.write("x")
    """
    assert uses(source) == ["flask.g", "StringIO.StringIO", "StringIO.StringIO", "sys.stdout"]


def test_public_level_keeps_submodules_classes_and_their_methods() -> None:
    source = """
        import os
        import pathlib
        import logging
        from concurrent import futures
        import xml.etree.ElementTree

        os.path.join("a", "b")
        pathlib.Path.home().joinpath("x")
        logging.DEBUG.bit_length()
        futures.ThreadPoolExecutor(2)
        xml.etree.ElementTree.parse("f")
    """
    assert uses(source) == [
        "os.path.join",
        "pathlib.Path.home",
        "logging.DEBUG",
        "concurrent.futures.ThreadPoolExecutor",
        "xml.etree.ElementTree.parse",
    ]


def test_private_names_are_not_library_apis() -> None:
    source = """
        import _card_render
        import json
        from json import _private

        _card_render.expected(1)
        json._default_encoder.encode(1)
        _private()
        json.dumps.__name__
    """
    assert uses(source) == ["json.dumps"]


def test_the_hit_spans_the_public_part_only() -> None:
    source = "from flask import g\ng.db.row_factory = None\n"
    (hit,) = find_api_uses(parse(source))
    assert source[hit.start_byte : hit.end_byte] == "g"
