"""Libraries that do the same job, so that a new import can be compared with what the
repository already uses for it ("this repository uses httpx for HTTP; this imports requests").

Names are what code imports: Python top-level modules (`dateutil`, not python-dateutil),
JavaScript package names, Go module paths, Rust crate names (with `_`). Standard-library
members of a job (argparse, unittest, logging) are listed too: a repository that parses its
command line with argparse everywhere is using a library for that job.

Also the Python import names whose distribution is named differently: a manifest declares
`PyYAML`, code imports `yaml`.

Both tables are data, in package_alternatives.toml beside this module.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Job:
    description: str  # as it reads after "for": "HTTP requests"
    ecosystem: str  # python, javascript, go, rust
    packages: frozenset[str]


_DATA = tomllib.loads(
    resources.files(__package__).joinpath("package_alternatives.toml").read_text("utf-8")
)
JOBS: tuple[Job, ...] = tuple(
    Job(description, ecosystem, frozenset(packages))
    for ecosystem, jobs in _DATA["jobs"].items()
    for description, packages in jobs.items()
)
# Import name -> distribution names, where they differ and are well known. The environment's
# own metadata is asked first; this covers packages that are declared but not installed.
PYTHON_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    name: tuple(distributions) for name, distributions in _DATA["python_distributions"].items()
}


def jobs_of(ecosystem: str, package: str) -> list[Job]:
    return [job for job in JOBS if job.ecosystem == ecosystem and package in job.packages]
