"""Compiled templates, kept between builds: Jinja's bytecode cache, stored like every other
cache file (header, program digest, checksum), so a damaged or foreign file is recompiled,
never run. Jinja keys each entry by the template's name and checks it against the source's
digest, so an edited template is compiled anew."""

from __future__ import annotations

from pathlib import Path

import jinja2

from sahelbrief.cache import store


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self, folder: Path, program: str) -> None:
        self.folder = folder
        self.program = program

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = store.load(self.folder / f"{bucket.key}.bin", self.program)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        store.dump(self.folder / f"{bucket.key}.bin", bucket.bytecode_to_string(), self.program)
