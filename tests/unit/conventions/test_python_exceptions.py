"""Python exceptions: the breadth of handlers and `raise ... from` inside them."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites

CODE = """
def load(path):
    try:
        data = read(path)
    except (OSError, ValueError) as err:
        raise ConfigError(path) from err
    except KeyError:
        raise ConfigError("missing key")
    except Exception as err:
        log(err)
    except:
        pass
    try:
        parse(data)
    except BaseException:
        cleanup()
        raise
    except TypeError as err:
        raise err
    raise RuntimeError("not in a handler")
"""


def test_handlers_vote_for_their_breadth_unless_they_re_raise() -> None:
    assert [s for s in sites("exceptions", CODE) if s[0] == "handler"] == [
        ("handler", "specific", "except (OSError, ValueError)"),
        ("handler", "specific", "except KeyError"),
        ("handler", "broad", "except Exception"),
        ("handler", "bare", "except"),
        ("handler", "specific", "except TypeError"),
    ]


def test_raises_inside_handlers_vote_for_chaining() -> None:
    assert [s for s in sites("exceptions", CODE) if s[0] == "chaining"] == [
        ("chaining", "from", "raise ConfigError(path) from err"),
        ("chaining", "unchained", 'raise ConfigError("missing key")'),
    ]


def test_the_from_rewrite_needs_a_name_for_the_caught_exception() -> None:
    code = """
    try:
        port = int(value)
    except ValueError as exc:
        raise ConfigError(value)
    try:
        port = int(value)
    except ValueError:
        raise ConfigError(value)
    """
    named, unnamed = [o for o in observations("exceptions", code) if o.aspect == "chaining"]
    assert named.rewrites == {"from": "raise ConfigError(value) from exc"}
    assert "raise ConfigError(value) from exc\n" in rewritten(code, named, "from")
    assert unnamed.rewrites == {}
