"""Java imports: wildcard or single-name, for type and static imports separately."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, sites


def test_imports_vote_per_kind() -> None:
    code = """\
    package app;

    import java.util.*;
    import java.util.List;
    import static org.junit.Assert.assertEquals;
    import static org.junit.Assert.*;
    """
    assert sites("java", "imports", code) == [
        ("type-import", "wildcard", "import java.util.*;"),
        ("type-import", "single", "import java.util.List;"),
        ("static-import", "single", "import static org.junit.Assert.assertEquals;"),
        ("static-import", "wildcard", "import static org.junit.Assert.*;"),
    ]
    assert all(not o.rewrites for o in observations("java", "imports", code))
