"""mindgap: notice code you did not write, and keep you in command of it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mindgap")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
