"""Compiled templates kept for the life of the process.

`mkdocs serve` makes new template environments on every rebuild (MkDocs for the theme, the
build for its pages), and a new environment compiles every template it loads again: about 50
templates, a large share of a small library's rebuild. A :class:`CompiledTemplates` given to an
environment keeps each template's compiled code in memory, by the template's name and file, the
settings that change what a template compiles to, and the checksum of its source: a template
whose file changed compiles again, so a preview never runs a stale template.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader, Environment
from jinja2.bccache import Bucket, BytecodeCache


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache, in memory."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = self.get_cache_key(name, filename) + "/" + self.get_source_checksum(_settings(environment, name))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def __len__(self) -> int:
        return len(self._code)


def _settings(environment: Environment, name: str) -> str:
    """What, beside a template's source, decides the code it compiles to (whether it escapes is
    asked of the environment for this template's name, as Jinja does when it compiles)."""
    autoescape: Any = environment.autoescape
    parts = (
        sorted(environment.extensions),
        bool(autoescape(name) if callable(autoescape) else autoescape),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.finalize is not None,
        environment.is_async,
        type(environment.loader or BaseLoader()).__qualname__,
    )
    return repr(parts)


#: For the pages the build renders itself (one kind of environment).
PAGE_TEMPLATES = CompiledTemplates()
#: For the theme's templates, which the site engine renders around every page.
THEME_TEMPLATES = CompiledTemplates()
