"""The static question types across languages: one realistic file per supported language,
quizzed as a whole by every static generator.

Six types are asked in every language (calls, construct, false-branch, loop-exit,
return-count, variable-origin); construct-purpose, literal-return, unused-parameter and
loop-assigns work in every language too when the code has what they ask about, and raises
and branch-raises in the languages with exceptions.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

import pytest

from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.questions.static import static_generators
from mindgap.syntax.languages import language_named

from .static_support import assert_well_formed, quiz_code

EVERYWHERE = {"calls", "construct", "false-branch", "loop-exit", "return-count", "variable-origin"}

SOURCES = {
    "python": """\
import json


def load(path, cache, strict):
    text = read(path)
    try:
        count = 1
        value = cache[path]
    except KeyError:
        value = json.loads(text)
    if value is None:
        return None
    total = 0
    for item in value:
        if item.bad:
            break
        total += item.size
    else:
        log("all good")
    total = round(total)
    report(total, count)
    return [v * 2 for v in value if v]
""",
    "javascript": """\
import { readFile } from "node:fs/promises";

export async function loadConfig(path, defaults, logger) {
  const text = await readFile(path, "utf8");
  let config = { ...defaults };
  try {
    config = JSON.parse(text);
  } catch (err) {
    logger.warn(`bad config ${path}`);
  }
  for (const key of Object.keys(defaults)) {
    if (config[key] === undefined) {
      return null;
    }
  }
  return config;
}

function findUser(users, name, strict) {
  if (!users) {
    return -1;
  }
  for (let i = 0; i < users.length; i++) {
    if (users[i].name === name) {
      return i;
    }
  }
  console.log("not found");
  return -1;
}

const total = (items, scale, unused) => {
  let sum = 0;
  for (const item of items) {
    sum += item.price;
  }
  sum = Math.round(sum * scale);
  report(sum);
  return sum > 0 ? sum : 0;
};
""",
    "typescript": """\
interface Item { price: number; name?: string }

export class Cart<T extends Item> {
  private items: T[] = [];

  total(discount: number, currency: string, rounding: number): number {
    let sum = 0;
    for (const item of this.items) {
      sum += item.price;
    }
    sum = sum * (1 - discount);
    console.log(currency);
    if (rounding <= 0) {
      return sum;
    }
    const rounded = Math.round(sum * rounding) / rounding;
    return rounded;
  }

  find(name: string): T | undefined {
    for (const item of this.items) {
      if (item.name === name) {
        return item;
      }
    }
    const fallback = this.items[0] as T;
    return fallback ?? undefined;
  }
}
""",
    "go": """\
package shop

import (
    "errors"
    "fmt"
)

func Find(items []Item, name string, strict bool) (int, error) {
    if len(items) == 0 {
        return -1, nil
    }
    for i, item := range items {
        if item.Name == name {
            return i, nil
        }
    }
    if strict {
        return 0, errors.New("missing")
    }
    return -1, fmt.Errorf("no %s", name)
}

func Total(items []Item, scale float64, currency string, debug bool) float64 {
    sum := 0.0
    for _, item := range items {
        sum += item.Price
    }
    sum = sum * scale
    fmt.Println(currency, sum)
    if debug {
        return 0
    }
    return sum
}
""",
    "rust": """\
use std::collections::HashMap;

pub fn find(items: &[Item], name: &str, strict: bool) -> Option<usize> {
    if items.is_empty() {
        return None;
    }
    for (i, item) in items.iter().enumerate() {
        if item.name == name {
            return Some(i);
        }
    }
    if strict {
        panic!("missing {}", name);
    }
    None
}

pub fn total(items: &[Item], scale: f64, currency: &str, verbose: bool) -> f64 {
    let mut sum = 0.0;
    for item in items {
        sum += item.price;
    }
    sum = sum * scale;
    println!("{currency} {}", sum);
    if verbose {
        return -1.0;
    }
    let counts: HashMap<String, usize> = items.iter().map(|i| (i.name.clone(), 1)).collect();
    sum
}
""",
    "java": """\
import java.util.List;

public class Shop {
    public int find(List<Item> items, String name, boolean strict) {
        if (items.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).name.equals(name)) {
                return i;
            }
        }
        System.out.println("missing");
        return -2;
    }

    public double total(List<Item> items, double scale, String currency, int precision) {
        double sum = 0;
        for (Item item : items) {
            sum += item.price;
        }
        sum = sum * scale;
        log(currency, sum);
        try {
            sum = sum / precision;
            count = 1;
        } catch (ArithmeticException e) {
            return 0;
        }
        var label = switch (precision) { case 0 -> "none"; default -> "some"; };
        return sum;
    }
}
""",
}
SOURCES["tsx"] = SOURCES["typescript"]


def _questions(language: str, seed: int = 0):
    code = quiz_code(SOURCES[language], language, seed=seed)
    return [q for generator in static_generators() for q in generator.generate(code)]


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_the_cross_language_types_are_asked_in_every_language(language: str) -> None:
    questions = _questions(language)
    for question in questions:
        assert_well_formed(question)
    kinds = {question.type for question in questions}
    assert kinds >= EVERYWHERE, EVERYWHERE - kinds
    if language in ("go", "rust"):  # no exceptions: nothing to catch or throw
        assert not kinds & {"raises", "branch-raises"}


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_the_same_code_gets_the_same_questions_in_every_language(language: str) -> None:
    assert _questions(language, seed=42) == _questions(language, seed=42)


def test_the_same_code_gets_the_same_questions_in_another_process() -> None:
    """Across processes too (a restarted server): string hashing differs between them, and
    tree-sitter does not order query captures, so nothing may depend on either."""
    script = (
        "import json\n"
        "from dataclasses import asdict\n"
        "from tests.unit.gate.test_static_languages import SOURCES, _questions\n"
        "print(json.dumps({lang: [asdict(q) for q in _questions(lang, 7)] for lang in SOURCES}))\n"
    )
    root = Path(__file__).resolve().parents[3]
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    here = json.loads(json.dumps([asdict(q) for q in _questions("python", 7)]))
    assert outputs[0]["python"] == here


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_any_region_of_broken_code_gets_well_formed_questions_or_none(language: str) -> None:
    """Foreign regions start and end anywhere, and code being edited does not parse."""
    rng = random.Random(language)
    lines = textwrap.dedent(SOURCES[language]).split("\n")
    variants = ["\n".join(lines)]
    for _ in range(6):
        broken = list(lines)
        for _ in range(rng.randrange(1, 5)):
            del broken[rng.randrange(len(broken))]
        variants.append("\n".join(broken))
    variants.append(variants[0][: len(variants[0]) // 2])
    for text in variants:
        data = text.encode("utf-8")
        tree = language_named(language).parser().parse(data)
        for _ in range(25):
            start = rng.randrange(len(data))
            end = min(len(data), start + rng.randrange(1, 800))
            code = CodeUnderQuiz(
                language, data, tree, start, end, data[:start].count(b"\n") + 1, rng
            )
            for generator in static_generators():
                for question in generator.generate(code):
                    assert_well_formed(question, generator.type)
