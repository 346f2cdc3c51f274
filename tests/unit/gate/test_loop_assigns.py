"""Loop-state questions: which of these variables does the loop assign a new value to?"""

from __future__ import annotations

from mindgap.gate.questions.loop_assigns import LoopAssigns

from .static_support import ask

LOOPS = LoopAssigns()


def test_python_the_accumulator_against_names_the_loop_only_reads() -> None:
    source = """
    def summarize(items, limit, scale):
        total = 0
        seen = []
        for item in items:
            if item.price > limit:
                continue
            total += item.price * scale
            seen.append(item)
        return total, seen
    """
    for seed in range(4):
        [question] = ask(LOOPS, source, seed=seed)
        assert question.prompt == (
            "Which of these variables does the loop on line 4 (`for item in items:`) assign "
            "a new value to?"
        )
        assert question.answer == "total"
        # Not the loop variable (item), nor `seen`, changed in place by append: a reader
        # could fairly say it "gets a new value".
        assert set(question.choices or ()) == {"total", "items", "limit", "scale"}
        assert question.explanation == (
            "`total` is assigned inside the loop, on line 7; `items`, `limit` and `scale` are "
            "only read there."
        )


def test_rust_and_javascript() -> None:
    rust = """
    fn total(items: &[Item], limit: u32, scale: u32) -> u32 {
        let mut sum = 0;
        let mut count = 0;
        for item in items {
            if item.price > limit {
                continue;
            }
            sum += item.price * scale;
            bump(&mut count);
        }
        sum
    }
    """
    [question] = ask(LOOPS, rust, "rust")
    assert question.answer == "sum"
    # `count` may change through `&mut count`: it is neither the key nor a wrong option.
    assert set(question.choices or ()) == {"sum", "items", "limit", "scale"}
    js = """
    function longest(words, min, max) {
      let best = "";
      for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word.length >= min && word.length <= max && word.length > best.length) {
          best = word;
        }
      }
      return best;
    }
    """
    [question] = ask(LOOPS, js, "javascript")
    assert question.answer == "best"  # existed before the loop: preferred over `word`
    assert set(question.choices or ()) == {"best", "words", "min", "max"}  # never `i`


def test_only_the_loop_variable_assigned_means_no_question() -> None:
    assert ask(LOOPS, "def f(xs, a, b):\n    for x in xs:\n        log(x, a, b)\n") == []


def test_a_comprehension_variable_is_not_assigned_by_the_loop() -> None:
    source = "def f(xs, a, b):\n    for x in xs:\n        ys = [y for y in a]\n        log(ys, b)\n"
    [question] = ask(LOOPS, source)
    assert question.answer == "ys"
    # Names inside the comprehension (y, and a) are left out: y is the comprehension's own.
    assert set(question.choices or ()) == {"ys", "xs", "b"}


def test_the_same_code_gets_the_same_question() -> None:
    source = "def f(xs, a, b):\n    n = 0\n    for x in xs:\n        n += a * b\n    return n\n"
    assert ask(LOOPS, source, seed=6) == ask(LOOPS, source, seed=6)
