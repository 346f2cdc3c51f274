"""The explanation check: key facts from real code in every language, explanations that
pass, that miss a fact (named), that copy the code or its docstring (refused), and the word
matching (identifier splitting, stemming, synonyms)."""

from __future__ import annotations

import textwrap

import pytest

from mindgap.gate.explain import (
    Fact,
    check_explanation,
    key_facts,
    split_identifier,
    stem,
    words,
)
from mindgap.syntax.languages import language_named


def facts_of(language: str, code: str, start: str | None = None) -> tuple[list[Fact], str]:
    """The key facts of `code` (all of it, or from the first line containing `start` on)."""
    text = textwrap.dedent(code).lstrip("\n")
    source = text.encode("utf-8")
    tree = language_named(language).parser().parse(source)
    start_byte = source.index(start.encode()) if start else 0
    return key_facts(language, source, tree, start_byte, len(source)), text


def labels(facts: list[Fact], kind: str | None = None) -> list[str]:
    return [f.label for f in facts if kind is None or f.kind == kind]


CART = """
class Cart:
    def add_item(self, item, quantity=1):
        \"\"\"Add an item to the cart and return the new total.\"\"\"
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.items.append((item, quantity))
        self.total += item.price * quantity
        logger.info("added %s", item)
        return self.total
"""


# --- Key facts: Python ----------------------------------------------------------------------


def test_python_method_facts_inputs_return_side_effects_in_order():
    facts, _ = facts_of("python", CART)
    assert [(f.kind, f.label, f.required) for f in facts] == [
        ("input", "takes `item`", True),
        ("input", "takes `quantity`", True),
        ("returns", "returns `self.total`", True),
        ("side-effect", "raises `ValueError`", False),
        ("side-effect", "adds to `self.items`", False),
        ("side-effect", "increases `self.total`", False),
        ("side-effect", "logs a message (`logger.info`)", False),
    ]
    assert [f.line for f in facts] == [2, 2, 9, 5, 6, 7, 8]


def test_self_is_not_an_input_and_the_exception_constructor_is_not_a_call():
    facts, _ = facts_of("python", CART)
    assert "takes `self`" not in labels(facts)
    assert labels(facts, "calls") == []


def test_function_without_return_returns_nothing_as_an_optional_fact():
    facts, _ = facts_of(
        "python",
        """
        def remember(key, value):
            global last_key
            last_key = key
            CACHE[key] = value
            seen = []
            seen.append(key)
            print(key, value)
        """,
    )
    assert [(f.kind, f.label, f.required) for f in facts] == [
        ("input", "takes `key`", True),
        ("input", "takes `value`", True),
        ("returns", "returns nothing", False),
        ("side-effect", "sets `last_key`", False),
        ("side-effect", "stores an item in `CACHE`", False),
        ("side-effect", "prints output (`print`)", False),
    ]  # appending to the local list `seen` is how, not what: no fact


def test_mutating_a_parameter_is_a_side_effect_assigning_a_local_is_not():
    facts, _ = facts_of(
        "python",
        """
        def tag_all(records, tag):
            count = 0
            for record in records:
                record["tag"] = tag
                count += 1
            records.sort(key=lambda r: r["id"])
            return count
        """,
    )
    # `record` is a loop variable: changes through it are not followed (a known limit)
    assert labels(facts, "side-effect") == ["sorts `records`"]
    assert labels(facts, "returns") == ["returns `count`"]


def test_generator_yields_recursion_and_calls():
    facts, _ = facts_of(
        "python",
        """
        def walk(node, depth=0):
            yield indent(node.name, depth)
            for child in node.children:
                yield from walk(child, depth + 1)
        """,
    )
    assert labels(facts) == [
        "takes `node`",
        "takes `depth`",
        "yields `indent(node.name, depth)` or `walk(child, depth + 1)`",
        "calls `indent`",
        "calls itself (recursion)",
    ]


def test_lambda_passed_as_argument_belongs_to_its_function():
    facts, _ = facts_of(
        "python",
        """
        def cheapest(products):
            return min(products, key=lambda p: p.price)
        """,
    )
    assert labels(facts) == [
        "takes `products`",
        "returns `min(products, key=lambda p:...`",
        "calls `min`",
    ]


def test_named_lambda_is_a_function():
    facts, _ = facts_of("python", "double = lambda x: x * 2\n")
    assert labels(facts) == ["takes `x`", "returns `x * 2`"]


def test_several_functions_prefix_labels_with_their_names():
    facts, _ = facts_of(
        "python",
        """
        def area(width, height):
            return width * height

        def describe(shape):
            print(shape.name)
        """,
    )
    assert labels(facts) == [
        "`area` takes `width`",
        "`area` takes `height`",
        "`area` returns `width * height`",
        "`describe` takes `shape`",
        "`describe` returns nothing",
        "`describe` prints output (`print`)",
    ]


def test_region_limits_the_facts_to_the_code_inside_it():
    facts, _ = facts_of(
        "python",
        """
        def first(a):
            return a

        def second(b):
            return b + 1
        """,
        start="def second",
    )
    assert labels(facts) == ["takes `b`", "returns `b + 1`"]


def test_statements_outside_functions_use_free_names_as_optional_inputs():
    facts, _ = facts_of(
        "python",
        """
        import json
        total = 0
        for order in orders:
            if order.paid:
                total += order.amount
        print(json.dumps({"total": total}))
        """,
    )
    assert [(f.kind, f.label, f.required) for f in facts] == [
        ("input", "uses `orders`", False),
        ("side-effect", "prints output (`print`)", False),
        ("calls", "calls `json.dumps`", False),
    ]


def test_statements_inside_a_function_change_what_they_did_not_create():
    facts, _ = facts_of(
        "python",
        """
        def report(orders, out):
            lines = []
            total = 0
            for order in orders:
                total += order.amount
                lines.append(f"{order.id}: {order.amount}")
            out.write("\\n".join(lines))
            return total
        """,
        start="    for order",
    )
    assert [(f.kind, f.label, f.required) for f in facts] == [
        ("input", "uses `orders`", False),
        ("input", "uses `total`", False),
        ("input", "uses `lines`", False),
        ("input", "uses `out`", False),
        ("returns", "returns `total`", True),
        ("side-effect", "increases `total`", False),
        ("side-effect", "adds to `lines`", False),
        ("side-effect", "writes to `out`", False),
        ("calls", 'calls `"\\n".join`', False),
    ]


def test_io_calls_are_side_effects():
    facts, _ = facts_of(
        "python",
        """
        def save(report, path):
            with open(path, "w") as handle:
                handle.write(report.render())
            os.remove(path + ".bak")
        """,
    )
    assert labels(facts, "side-effect") == ["does I/O: `open`", "does I/O: `os.remove`"]
    assert labels(facts, "calls") == ["calls `report.render`"]


# --- Key facts: other languages ------------------------------------------------------------


def test_javascript_function_and_arrow_function():
    facts, _ = facts_of(
        "javascript",
        """
        function addToCart(cart, product, qty = 1) {
          if (qty <= 0) throw new RangeError("qty must be positive");
          cart.items.push({ product, qty });
          cart.total += product.price * qty;
          console.log("added", product.name);
          return cart.total;
        }
        const double = (x) => x * 2;
        """,
    )
    assert labels(facts) == [
        "`addToCart` takes `cart`",
        "`addToCart` takes `product`",
        "`addToCart` takes `qty`",
        "`addToCart` returns `cart.total`",
        "`addToCart` raises `RangeError`",
        "`addToCart` adds to `cart.items`",
        "`addToCart` increases `cart.total`",
        "`addToCart` prints output (`console.log`)",
        "`double` takes `x`",
        "`double` returns `x * 2`",
    ]


def test_javascript_class_methods_and_this():
    facts, code = facts_of(
        "javascript",
        """
        class Counter {
          constructor(start) { this.count = start; }
          increment(step = 1) {
            this.count += step;
            this.emit("change", this.count);
            return this;
          }
        }
        """,
    )
    assert labels(facts) == [
        "`constructor` takes `start`",
        "`constructor` sets `this.count`",
        "`increment` takes `step`",
        "`increment` returns `this`",
        "`increment` increases `this.count`",
        "`increment` calls `this.emit`",
    ]
    result = check_explanation(
        facts,
        "The constructor stores the start as the count. increment adds the step to the count, "
        "emits a change event and returns the counter itself so calls can be chained.",
        code,
    )
    assert result.passed, result.message


def test_typescript_parameters_with_types_defaults_and_destructuring():
    facts, _ = facts_of(
        "typescript",
        """
        export function parseConfig(text: string, { strict = false }: Options): Config {
          const raw = JSON.parse(text);
          return validate(raw, strict);
        }
        """,
    )
    assert labels(facts) == [
        "takes `text`",
        "takes `strict`",
        "returns `validate(raw, strict)`",
        "calls `JSON.parse`",
        "calls `validate`",
    ]


def test_tsx_component():
    facts, _ = facts_of(
        "tsx",
        """
        function Greeting({ name }: Props) {
          return <h1>Hello {name}</h1>;
        }
        """,
    )
    assert labels(facts)[:2] == ["takes `name`", "returns `<h1>Hello {name}</h1>`"]


def test_go_method_receiver_is_like_self():
    facts, _ = facts_of(
        "go",
        """
        func (s *Store) Save(key string, value []byte) error {
            if key == "" {
                return fmt.Errorf("empty key")
            }
            s.data[key] = value
            s.writes++
            log.Printf("saved %s", key)
            return nil
        }
        """,
    )
    assert labels(facts) == [
        "takes `key`",
        "takes `value`",
        'returns `fmt.Errorf("empty key")` or `nil`',
        "calls `fmt.Errorf`",
        "stores an item in `s.data`",
        "increases `s.writes`",
        "logs a message (`log.Printf`)",
    ]


def test_rust_tail_expression_question_mark_and_macros():
    facts, _ = facts_of(
        "rust",
        """
        fn load(path: &str, limit: usize) -> Result<Vec<String>, io::Error> {
            let text = fs::read_to_string(path)?;
            if limit == 0 {
                panic!("limit must be positive");
            }
            println!("read {} bytes", text.len());
            Ok(text.lines().take(limit).map(String::from).collect())
        }
        """,
    )
    assert labels(facts) == [
        "takes `path`",
        "takes `limit`",
        "returns `Ok(text.lines().take(limit)...`",
        "passes errors on to its caller (`?`)",
        "does I/O: `fs::read_to_string`",
        "panics",
        "prints output (`println!`)",
        "calls `text.lines().take(limit).map`",
        "calls `text.lines().take`",
        "calls `text.lines`",
    ]


def test_java_method_fields_and_throw():
    facts, _ = facts_of(
        "java",
        """
        class Account {
            public int withdraw(int amount) {
                if (amount > balance) {
                    throw new IllegalArgumentException("insufficient funds");
                }
                int before = balance;
                balance -= amount;
                history.add(-amount);
                System.out.println("withdrew " + amount);
                return before - amount;
            }
        }
        """,
    )
    assert labels(facts) == [
        "takes `amount`",
        "returns `before - amount`",
        "raises `IllegalArgumentException`",
        "decreases `balance`",
        "adds to `history`",
        "prints output (`System.out.println`)",
    ]


def test_unknown_language_is_a_clear_error():
    source = b"x"
    tree = language_named("python").parser().parse(source)
    with pytest.raises(ValueError, match="cobol"):
        key_facts("cobol", source, tree, 0, 1)


# --- The check: what passes, what misses ---------------------------------------------------


def test_own_words_covering_everything_pass():
    facts, code = facts_of("python", CART)
    result = check_explanation(
        facts,
        "Takes an item and a quantity. It complains with an exception when the quantity is "
        "zero or less, pushes the pair onto the cart's list of items, bumps the running total "
        "by price times quantity, logs it and gives back the new total.",
        code,
    )
    assert result.passed, result.message
    assert result.missing == []
    assert result.copied is None
    assert result.message == "Covers 7 of 7 key facts."


def test_missing_the_return_is_named():
    facts, code = facts_of("python", CART)
    result = check_explanation(
        facts,
        "Takes an item and a quantity, adds them to the items and increases the total; "
        "throws an error for a quantity below one and logs every item added.",
        code,
    )
    assert not result.passed
    assert labels(result.missing) == ["returns `self.total`"]
    assert "missing returns `self.total`" in result.message


def test_missing_an_input_is_named():
    facts, code = facts_of("python", CART)
    result = check_explanation(
        facts,
        "Puts the item in the cart, raises the total by its price, logs it, returns the total "
        "and raises an error when asked for none.",
        code,
    )
    assert not result.passed
    assert labels(result.missing) == ["takes `quantity`"]
    assert "takes `quantity`" in result.message


def test_rule_needs_half_of_the_optional_facts():
    facts, code = facts_of("python", CART)
    optional = [f for f in facts if not f.required]
    assert len(optional) == 4
    only_one = check_explanation(
        facts, "Given an item and a quantity it logs the item and returns the total.", code
    )
    assert not only_one.passed
    assert only_one.needed_optional == 2
    assert "mention 1 more of: raises `ValueError`, adds to `self.items` or increases" in (
        only_one.message
    )
    two = check_explanation(
        facts,
        "Given an item and a quantity it logs the item, fails on a bad quantity and returns "
        "the total.",
        code,
    )
    assert two.passed, two.message


def test_coverage_is_reported_fact_by_fact_with_the_words_found():
    facts, code = facts_of("python", CART)
    result = check_explanation(
        facts, "Takes an item and a quantity and gives back the total it stores.", code
    )
    by_label = {c.fact.label: c for c in result.coverage}
    assert by_label["takes `item`"].covered
    assert by_label["returns `self.total`"].matched == ("return", "total")
    assert not by_label["logs a message (`logger.info`)"].covered
    assert by_label["increases `self.total`"].matched == ("set", "total")  # "it stores"
    assert result.to_dict()["missing"] == [
        "raises `ValueError`",
        "adds to `self.items`",
        "logs a message (`logger.info`)",
    ]


def test_empty_explanation_fails():
    facts, code = facts_of("python", CART)
    result = check_explanation(facts, "  ", code)
    assert not result.passed
    assert result.message == "The explanation is empty."


def test_no_facts_needs_a_few_words():
    assert not check_explanation([], "ok", "pass\n").passed
    assert check_explanation([], "It does nothing at all here.", "pass\n").passed


# --- Copies are refused --------------------------------------------------------------------

TOTAL = '''
def total_price(items, discount=0.0):
    """Return the total price of the items after applying the discount."""
    subtotal = sum(item.price * item.quantity for item in items)
    return subtotal * (1 - discount)
'''


def test_copying_the_docstring_is_refused():
    facts, code = facts_of("python", TOTAL)
    result = check_explanation(
        facts, "Return the total price of the items after applying the discount.", code
    )
    assert not result.passed
    assert result.copied == "11 of its 11 words repeat the comments or docstring word for word"
    assert result.message.startswith("Not accepted: 11 of its 11 words repeat")


def test_copying_a_comment_is_refused():
    code = "def tax(amount):\n    # apply the standard rate of twenty percent to the amount\n"
    code += "    return amount * 0.2\n"
    facts, code = facts_of("python", code)
    result = check_explanation(
        facts, "Apply the standard rate of twenty percent to the amount and return it.", code
    )
    assert not result.passed
    assert result.copied is not None and "comments or docstring" in result.copied


def test_pasting_the_code_is_refused():
    facts, code = facts_of("python", TOTAL)
    result = check_explanation(
        facts,
        "subtotal = sum(item.price * item.quantity for item in items); "
        "return subtotal * (1 - discount)",
        code,
    )
    assert not result.passed
    assert result.copied is not None and result.copied.endswith("repeat the code word for word")


def test_reading_the_code_aloud_is_refused():
    facts, code = facts_of(
        "python",
        """
        def find_user(users, user_id):
            for user in users:
                if user.id == user_id:
                    return user
            return None
        """,
    )
    result = check_explanation(
        facts, "for user in users if user id equals user id return user return none", code
    )
    assert not result.passed
    assert result.copied is not None


def test_code_words_in_code_order_with_gaps_are_refused():
    facts, code = facts_of(
        "javascript",
        """
        function applyDiscount(order, coupon) {
          if (coupon.expired) { return order.total; }
          return order.total - coupon.amount;
        }
        """,
    )
    result = check_explanation(
        facts,
        "function apply discount order coupon: if coupon expired return order total, "
        "return order total minus the coupon amount",
        code,
    )
    assert not result.passed
    assert result.copied is not None


def test_own_words_that_reuse_some_names_are_not_a_copy():
    facts, code = facts_of("python", TOTAL)
    for explanation in (
        "It adds up price times quantity for every item, then takes the discount off that "
        "subtotal and gives back the result.",
        "Sums price times quantity over the items and returns that minus the discount share.",
    ):
        result = check_explanation(facts, explanation, code)
        assert result.copied is None
        assert result.passed, result.message


def test_short_literal_description_of_a_tiny_function_is_not_a_copy():
    facts, code = facts_of("python", "def add(a, b):\n    return a + b\n")
    result = check_explanation(facts, "returns a plus b", code)
    assert result.copied is None
    assert result.passed


# --- Matching words ------------------------------------------------------------------------


def test_identifier_splitting():
    assert split_identifier("total_price") == ["total", "price"]
    assert split_identifier("totalPrice") == ["total", "price"]
    assert split_identifier("HTTPServerError") == ["http", "server", "error"]
    assert split_identifier("__init__") == ["init"]
    assert words("Returns total_price, then maxRetries.") == [
        "returns",
        "total",
        "price",
        "then",
        "max",
        "retries",
    ]


@pytest.mark.parametrize(
    "forms",
    [
        ("return", "returns", "returned", "returning"),
        ("price", "prices", "priced"),
        ("query", "queries", "queried"),
        ("raise", "raises", "raised", "raising"),
        ("add", "adds", "added", "adding"),
        ("stop", "stops", "stopped", "stopping"),
    ],
)
def test_stemming_maps_inflections_together(forms):
    assert len({stem(form) for form in forms}) == 1


def test_snake_case_input_matches_separate_words():
    facts, code = facts_of(
        "python",
        "def net(total_price, tax_rate):\n    return total_price * (1 + tax_rate)\n",
    )
    result = check_explanation(
        facts, "Takes the total price and the tax rate and returns the price with tax.", code
    )
    assert result.passed, result.message


def test_camel_case_and_abbreviations_match():
    facts, code = facts_of(
        "javascript",
        "function retry(maxRetries, delayMs) { return schedule(maxRetries, delayMs); }\n",
    )
    result = check_explanation(
        facts,
        "Given the maximum number of retries and a delay in ms, it schedules them and "
        "hands back what the scheduler gives.",
        code,
    )
    assert result.passed, result.message


def test_every_required_name_part_must_be_said():
    facts, code = facts_of("python", "def f(total_price):\n    return total_price\n")
    result = check_explanation(facts, "It returns the total unchanged.", code)
    assert labels(result.missing) == ["takes `total_price`"]


@pytest.mark.parametrize(
    ("explanation", "fact"),
    [
        ("gives back the total", "returns `total`"),
        ("produces the total", "returns `total`"),
        ("throws an error if the list is empty", "raises `ValueError`"),
        ("fails with an exception if the list is empty", "raises `ValueError`"),
        ("outputs the total", "prints output (`print`)"),
        ("displays the total", "prints output (`print`)"),
        ("pushes the total onto the history", "adds to `self.history`"),
        ("adds the total to the history", "adds to `self.history`"),
        ("inserts the total in the history", "adds to `self.history`"),
    ],
)
def test_synonyms_for_common_verbs(explanation, fact):
    facts, code = facts_of(
        "python",
        """
        def summarize(self, values):
            if not values:
                raise ValueError("no values")
            total = sum(values)
            print(total)
            self.history.append(total)
            return total
        """,
    )
    result = check_explanation(facts, explanation, code)
    assert fact in labels(result.covered)


def test_matching_ignores_case():
    facts, code = facts_of("python", "def f(Limit):\n    return Limit\n")
    assert check_explanation(facts, "TAKES A LIMIT AND RETURNS THE LIMIT", code).passed


def test_go_explanation():
    facts, code = facts_of(
        "go",
        """
        func (s *Store) Save(key string, value []byte) error {
            if key == "" {
                return fmt.Errorf("empty key")
            }
            s.data[key] = value
            s.writes++
            log.Printf("saved %s", key)
            return nil
        }
        """,
    )
    result = check_explanation(
        facts,
        "Saves the value under the key in the store's data map, counts the write up by one "
        "and logs it. It returns an error when the key is empty and nil otherwise.",
        code,
    )
    assert result.passed, result.message
    assert labels(result.missing) == []  # "an error" also says `fmt.Errorf`


def test_rust_explanation_missing_the_input():
    facts, code = facts_of(
        "rust",
        """
        fn average(values: &[f64]) -> Option<f64> {
            if values.is_empty() {
                return None;
            }
            let total: f64 = values.iter().sum();
            Some(total / values.len() as f64)
        }
        """,
    )
    result = check_explanation(facts, "Returns the mean, or None when there is nothing.", code)
    assert not result.passed
    assert labels(result.missing) == ["takes `values`", "calls `values.iter().sum`"]
    fixed = check_explanation(
        facts, "Sums the values and returns their mean, or None when there are no values.", code
    )
    assert fixed.passed, fixed.message


def test_java_explanation():
    facts, code = facts_of(
        "java",
        """
        public int withdraw(int amount) {
            if (amount > balance) {
                throw new IllegalArgumentException("insufficient funds");
            }
            balance -= amount;
            history.add(-amount);
            return balance;
        }
        """,
    )
    result = check_explanation(
        facts,
        "Takes an amount off the balance, records it in the history and returns what is "
        "left. Throws when the amount is more than the balance.",
        code,
    )
    assert result.passed, result.message
