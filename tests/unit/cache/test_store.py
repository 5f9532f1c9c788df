from __future__ import annotations

import datetime as dt
import logging
import pickle
import threading
from pathlib import Path

import pytest
import xxhash

from sahelbrief.cache import store
from sahelbrief.model import Paragraph, Ref, Removal


def test_a_value_round_trips(tmp_path: Path) -> None:
    value = {
        b"k": (
            Paragraph(3, "body", "text", Removal("exact", Ref("a.md", 2), 1.0)),
            dt.date(2026, 1, 2),
        )
    }
    store.dump(tmp_path / "x.bin", value, "prog")
    assert store.load(tmp_path / "x.bin", "prog") == value


def test_truncated_flipped_foreign_or_missing_files_read_as_no_cache(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    store.dump(path, {"a": "b" * 100}, "prog")
    data = path.read_bytes()
    assert store.load(path, "other-program") is None
    path.write_bytes(data[:-10])
    assert store.load(path, "prog") is None
    path.write_bytes(data[:-5] + bytes([data[-5] ^ 1]) + data[-4:])
    assert store.load(path, "prog") is None
    path.write_bytes(b"not a cache at all")
    assert store.load(path, "prog") is None
    path.write_bytes(b"")
    assert store.load(path, "prog") is None
    assert store.load(tmp_path / "missing.bin", "prog") is None


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("this must never run",))


def test_a_checksummed_pickle_naming_other_code_is_refused(tmp_path: Path, capsys: object) -> None:
    payload = pickle.dumps(_Evil())
    path = tmp_path / "x.bin"
    path.write_bytes(store._header("prog") + xxhash.xxh3_128_digest(payload) + payload)
    assert store.load(path, "prog") is None


def test_the_sharded_store_keeps_what_a_build_used_and_drops_the_rest(tmp_path: Path) -> None:
    first = store.ShardedStore(tmp_path, "prog", shards=4)
    first[b"\x00a"] = "kept"
    first[b"\x01b"] = "dropped"
    first.save()
    second = store.ShardedStore(tmp_path, "prog", shards=4)
    assert second[b"\x00a"] == "kept"
    assert second.get(b"\x01c") is None  # shard 1 is read, b"\x01b" is not used
    assert second.get(b"\x02c") is None
    second.save()
    third = store.ShardedStore(tmp_path, "prog", shards=4)
    assert dict(third) == {b"\x00a": "kept"}


def test_a_released_store_is_saved_and_loads_its_shards_again(tmp_path: Path) -> None:
    shards = store.ShardedStore(tmp_path, "prog", shards=4)
    shards[b"\x00a"] = "kept"
    shards.release()
    assert store.ShardedStore(tmp_path, "prog", shards=4).get(b"\x00a") == "kept"
    assert shards[b"\x00a"] == "kept"  # read from the file again


def test_files_of_another_version_are_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """After an upgrade every cache file is stale: one line says so, not one per file, even
    with -v (debug)."""
    monkeypatch.setattr(store, "_told", threading.Event())
    for name in ("a.bin", "b.bin", "c.bin"):
        store.dump(tmp_path / name, {"x": 1}, "old version")
    with caplog.at_level(logging.DEBUG, logger="sahelbrief.cache.store"):
        assert [store.load(tmp_path / n, "new version") for n in ("a.bin", "b.bin", "c.bin")] == [
            None,
            None,
            None,
        ]
    told = [r for r in caplog.records if r.name == "sahelbrief.cache.store"]
    assert len(told) == 1
    assert "another version of sahelbrief" in told[0].getMessage()
