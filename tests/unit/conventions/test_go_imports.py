"""Go imports: standard library grouped apart, and aliases for paths that hide the name."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites


def test_blocks_mixing_both_kinds_vote_on_grouping() -> None:
    code = """\
    package app

    import (
    \t"fmt"
    \t"os"

    \t"github.com/google/uuid"
    )

    import (
    \t"net/http"
    \t"github.com/go-chi/chi/v5"
    )

    import (
    \t"strings"
    \t"time"
    )
    """
    grouping = [s for s in sites("go", "imports", code) if s[0] == "grouping"]
    assert grouping == [
        ("grouping", "grouped", '(\n\t"fmt"\n\t"os"\n\n\t"github.com/google/uuid"\n)'),
        ("grouping", "mixed", '"net/http"\n\t"github.com/go-chi/chi/v5"'),
    ]


def test_paths_that_hide_the_package_name_vote_on_aliases() -> None:
    code = """\
    package app

    import (
    \t"fmt"
    \tyaml "gopkg.in/yaml.v3"
    \t"github.com/go-chi/chi/v5"
    \t_ "github.com/lib/pq.v1"
    )
    """
    alias = [s for s in sites("go", "imports", code) if s[0] == "alias"]
    assert alias == [
        ("alias", "aliased", 'yaml "gopkg.in/yaml.v3"'),
        ("alias", "unaliased", '"github.com/go-chi/chi/v5"'),
    ]
    unaliased = next(o for o in observations("go", "imports", code) if o.choice == "unaliased")
    assert '\tchi "github.com/go-chi/chi/v5"\n' in rewritten("go", code, unaliased, "aliased")
