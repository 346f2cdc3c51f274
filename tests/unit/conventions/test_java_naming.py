"""Java naming: case per kind; overrides and serialization names left out."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites

CODE = """\
class order_service implements Service {
    private static final int MAX_ITEMS = 10, defaultLimit = 5;
    private static final long serialVersionUID = 1L;
    private static final Logger log = Logger.getLogger("x");
    private int pendingCount, retry_total;

    @Override
    public String to_string() { return ""; }

    public void placeOrder(int itemCount) {
        int unit_price = 3;
    }

    void Process() {}
}

interface Limits { int max_depth = 4; }
"""


def test_names_vote_by_kind() -> None:
    assert sites("java", "naming", CODE) == [
        ("class", "snake_case", "order_service"),
        ("constant", "UPPER_CASE", "MAX_ITEMS"),
        ("constant", "camelCase", "defaultLimit"),
        ("field", "camelCase", "pendingCount"),
        ("field", "snake_case", "retry_total"),
        ("method", "camelCase", "placeOrder"),
        ("variable", "snake_case", "unit_price"),
        ("method", "PascalCase", "Process"),
        ("class", "PascalCase", "Limits"),
        ("constant", "snake_case", "max_depth"),
    ]


def test_constant_rename_is_valid_java() -> None:
    code = "class A { static final int maxItems = 1; }\n"
    (constant,) = observations("java", "naming", code)  # `A` fits two styles: no vote
    assert constant.rewrites["UPPER_CASE"] == "MAX_ITEMS"
    assert "static final int MAX_ITEMS = 1;" in rewritten("java", code, constant, "UPPER_CASE")
