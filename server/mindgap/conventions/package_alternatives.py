"""Libraries that do the same job, so that a new import can be compared with what the
repository already uses for it ("this repository uses httpx for HTTP; this imports requests").

Names are what code imports: Python top-level modules (`dateutil`, not python-dateutil),
JavaScript package names, Go module paths, Rust crate names (with `_`). Standard-library
members of a job (argparse, unittest, logging) are listed too: a repository that parses its
command line with argparse everywhere is using a library for that job.

Also the Python import names whose distribution is named differently: a manifest declares
`PyYAML`, code imports `yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    description: str  # as it reads after "for": "HTTP requests"
    ecosystem: str  # python, javascript, go, rust
    packages: frozenset[str]


def _job(description: str, ecosystem: str, *packages: str) -> Job:
    return Job(description, ecosystem, frozenset(packages))


JOBS: tuple[Job, ...] = (
    # Python
    _job("HTTP requests", "python", "requests", "httpx", "aiohttp", "urllib3", "httplib2"),
    _job("dates and times", "python", "arrow", "pendulum", "dateutil", "maya", "delorean"),
    _job("YAML", "python", "yaml", "ruamel", "strictyaml", "oyaml"),
    _job("JSON", "python", "orjson", "ujson", "simplejson", "rapidjson", "json"),
    _job("TOML", "python", "toml", "tomli", "tomlkit", "tomllib", "rtoml"),
    _job("command-line parsing", "python", "click", "typer", "argparse", "docopt", "fire"),
    _job("tests", "python", "pytest", "nose", "nose2", "unittest"),
    _job("logging", "python", "loguru", "structlog", "logbook", "logging"),
    _job("data validation", "python", "pydantic", "marshmallow", "attrs", "cerberus"),
    _job("terminal output", "python", "rich", "colorama", "termcolor", "blessed"),
    _job("HTML parsing", "python", "bs4", "lxml", "selectolax", "html5lib"),
    _job("templates", "python", "jinja2", "mako", "chameleon"),
    _job("web frameworks", "python", "flask", "django", "fastapi", "starlette", "bottle"),
    _job("async runtimes", "python", "trio", "anyio", "curio", "gevent"),
    _job("progress bars", "python", "tqdm", "alive_progress", "progressbar"),
    _job("environment files", "python", "dotenv", "decouple", "environs"),
    _job("retries", "python", "tenacity", "backoff", "retrying"),
    _job("SQL databases", "python", "sqlalchemy", "peewee", "pony", "sqlmodel"),
    # JavaScript / TypeScript
    _job("dates and times", "javascript", "moment", "date-fns", "dayjs", "luxon"),
    _job("HTTP requests", "javascript", "axios", "node-fetch", "got", "ky", "superagent"),
    _job("utility functions", "javascript", "lodash", "underscore", "ramda", "lodash-es"),
    _job("tests", "javascript", "jest", "mocha", "vitest", "jasmine", "ava"),
    _job("assertions", "javascript", "chai", "expect", "should"),
    _job("command-line parsing", "javascript", "commander", "yargs", "minimist", "meow"),
    _job("unique ids", "javascript", "uuid", "nanoid", "shortid", "cuid"),
    _job("schema validation", "javascript", "zod", "yup", "joi", "ajv", "superstruct"),
    _job("terminal colours", "javascript", "chalk", "kleur", "picocolors", "colors"),
    _job("logging", "javascript", "winston", "pino", "bunyan", "loglevel"),
    _job("state management", "javascript", "redux", "mobx", "zustand", "jotai", "recoil"),
    _job("web servers", "javascript", "express", "koa", "fastify", "hapi"),
    # Go
    _job(
        "logging",
        "go",
        "github.com/sirupsen/logrus",
        "go.uber.org/zap",
        "github.com/rs/zerolog",
        "log/slog",
    ),
    _job(
        "command-line parsing",
        "go",
        "github.com/spf13/cobra",
        "github.com/urfave/cli",
        "github.com/alecthomas/kong",
        "flag",
    ),
    _job(
        "HTTP routing",
        "go",
        "github.com/gin-gonic/gin",
        "github.com/labstack/echo",
        "github.com/go-chi/chi",
        "github.com/gorilla/mux",
        "github.com/gofiber/fiber",
    ),
    _job(
        "test assertions",
        "go",
        "github.com/stretchr/testify",
        "gotest.tools",
        "github.com/matryer/is",
    ),
    # Rust
    _job("errors", "rust", "anyhow", "eyre", "thiserror", "failure", "snafu"),
    _job("command-line parsing", "rust", "clap", "structopt", "argh", "pico_args"),
    _job("HTTP clients", "rust", "reqwest", "ureq", "hyper", "surf", "isahc"),
    _job("async runtimes", "rust", "tokio", "async_std", "smol"),
    _job("logging", "rust", "log", "tracing", "slog", "env_logger"),
    _job("dates and times", "rust", "chrono", "time"),
)


def jobs_of(ecosystem: str, package: str) -> list[Job]:
    return [job for job in JOBS if job.ecosystem == ecosystem and package in job.packages]


# Import name -> distribution names, where they differ and are well known. The environment's
# own metadata is asked first; this covers packages that are declared but not installed.
PYTHON_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "yaml": ("PyYAML",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
    "PIL": ("Pillow",),
    "bs4": ("beautifulsoup4",),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "jwt": ("PyJWT",),
    "magic": ("python-magic",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "OpenSSL": ("pyOpenSSL",),
    "git": ("GitPython",),
    "github": ("PyGithub",),
    "gi": ("PyGObject",),
    "wx": ("wxPython",),
    "attr": ("attrs",),
    "google": ("protobuf", "google-api-python-client", "google-cloud-core"),
    "googleapiclient": ("google-api-python-client",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "fitz": ("PyMuPDF",),
    "zmq": ("pyzmq",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "MySQLdb": ("mysqlclient",),
    "pymysql": ("PyMySQL",),
    "ldap": ("python-ldap",),
    "slugify": ("python-slugify", "awesome-slugify"),
    "multipart": ("python-multipart",),
    "jose": ("python-jose",),
    "socketio": ("python-socketio",),
    "engineio": ("python-engineio",),
    "telegram": ("python-telegram-bot",),
    "discord": ("discord.py",),
    "Levenshtein": ("python-Levenshtein", "Levenshtein"),
    "lsprotocol": ("lsprotocol",),
    "pygls": ("pygls",),
    "tree_sitter": ("tree-sitter",),
    "typing_extensions": ("typing-extensions", "typing_extensions"),
    "importlib_metadata": ("importlib-metadata",),
    "pkg_resources": ("setuptools",),
    "setuptools": ("setuptools",),
    "ruamel": ("ruamel.yaml",),
    "win32api": ("pywin32",),
    "win32con": ("pywin32",),
    "pythoncom": ("pywin32",),
    "markdown": ("Markdown",),
    "jinja2": ("Jinja2",),
    "flask": ("Flask",),
    "mpl_toolkits": ("matplotlib",),
    "nacl": ("PyNaCl",),
    "Bio": ("biopython",),
    "sentencepiece": ("sentencepiece",),
    "websocket": ("websocket-client",),
}
