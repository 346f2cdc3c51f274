"""Branch-raise questions: which exception class is raised when the condition holds?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.branch_raises import BranchRaises

from .static_support import ask

RAISES = BranchRaises()


def test_python_the_class_raised_by_the_branch() -> None:
    source = """
    class ConfigError(LookupError):
        pass


    def load(path, mode):
        if not path:
            raise ConfigError("no path")
        try:
            return open(path, mode)
        except OSError:
            return None
    """
    [question] = ask(RAISES, source, function="load")
    assert question.prompt == (
        "If execution reaches line 6 and `not path` is true, what is the class of the "
        "exception raised?"
    )
    assert question.answer == "ConfigError"
    assert question.choices is not None
    # Never a base class of the answer (LookupError, Exception): that would also be right.
    assert not {"LookupError", "Exception", "BaseException"} & set(question.choices)
    assert "OSError" in question.choices  # caught nearby: the most plausible wrong option
    assert question.explanation == (
        "When `not path` is true, the `if` on line 6 runs its branch, which only raises "
        "`ConfigError`."
    )


def test_builtin_ancestors_are_never_offered() -> None:
    source = "def f(d, k):\n    if k not in d:\n        raise KeyError(k)\n    return d[k]\n"
    for seed in range(6):
        [question] = ask(RAISES, source, seed=seed)
        assert question.answer == "KeyError"
        assert "LookupError" not in (question.choices or ())


def test_javascript_and_java_throw() -> None:
    js = 'function check(n) {\n  if (n < 0) throw new RangeError("negative");\n  return n;\n}\n'
    [question] = ask(RAISES, js, "javascript")
    assert question.prompt.endswith("what is the class of the exception thrown?")
    assert question.answer == "RangeError"
    assert "Error" not in (question.choices or ())  # every error is an Error
    java = """
    class Ages {
        int check(int age) {
            if (age >= 0) {
                return age;
            } else {
                throw new IllegalArgumentException("negative");
            }
        }
    }
    """
    [question] = ask(RAISES, java, "java")
    assert question.prompt.startswith("If execution reaches line 3 and `age >= 0` is false")
    assert question.answer == "IllegalArgumentException"


@pytest.mark.parametrize(
    "body",
    [
        "    if a:\n        log(a)\n        raise ValueError(a)\n",  # more than the raise
        "    if a:\n        raise\n",  # a bare raise re-raises what is being handled
        "    if a:\n        raise error\n",  # a variable: its class is not in sight
    ],
)
def test_branches_that_do_more_or_hide_the_class_get_no_question(body: str) -> None:
    assert ask(RAISES, "def f(a, error):\n" + body + "    return 1\n") == []


def test_the_same_code_gets_the_same_question() -> None:
    source = "def f(a):\n    if a:\n        raise TypeError(a)\n    return a\n"
    assert ask(RAISES, source, seed=3) == ask(RAISES, source, seed=3)
