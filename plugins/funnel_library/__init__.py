"""Funnel Library: load, validate and publish a library of mini sales funnels."""

from importlib.metadata import PackageNotFoundError, version

try:  # pyproject.toml is the one source of the version; this reads it from the installed metadata
    __version__ = version("funnel-library")
except PackageNotFoundError:  # pragma: no cover (run from a folder without installing)
    __version__ = "0+unknown"
