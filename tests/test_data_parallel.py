"""The pool in `vschema.data._parallel`: the reader checks blocks too, and a run with workers
reports exactly what a serial run does, stopping early at the same document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from data_exports import write_export

from vschema import define_schema, define_table, new_id, v
from vschema.data import _parallel, check_export
from vschema.data._check import BatchResult, Checker

USERS = 10001
SCHEMA = define_schema({"users": define_table({"n": v.int64(), "friend": v.id("users")})})


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    first = new_id(USERS)
    docs: list[dict[str, Any]] = []
    for i in range(3000):
        doc = {"_id": first if i == 0 else new_id(USERS), "_creationTime": 1.0 + i, "n": i}
        doc["friend"] = first if i % 17 else new_id(USERS + 1)  # a table no one numbers
        if i % 29 == 4:
            doc["n"] = float(i)  # a Float64 where an Int64 belongs
        docs.append(doc)
    return write_export(tmp_path_factory.mktemp("x") / "e.zip", {"users": (USERS, docs)})


class CountingChecker(Checker):
    """The reader's checker, counting the blocks it checks itself."""

    blocks = 0

    def check(self, *args: Any, **kwargs: Any) -> BatchResult:
        CountingChecker.blocks += 1
        return super().check(*args, **kwargs)


@pytest.mark.parametrize("max_failures", [None, 1, 150])
def test_workers_and_reader_report_what_one_process_does(
    export: Path, max_failures: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    options: dict[str, Any] = {"progress": False, "block_bytes": 4096, "max_failures": max_failures}
    serial = check_export(export, SCHEMA, jobs=1, **options)
    monkeypatch.setattr(_parallel, "Checker", CountingChecker)
    CountingChecker.blocks = 0
    parallel = check_export(export, SCHEMA, jobs=3, min_parallel_bytes=0, **options)
    assert parallel.to_json() == serial.to_json()
    assert CountingChecker.blocks >= 1  # the reader took its share
    users = serial.tables["users"]
    expected = len([i for i in range(3000) if i % 17 == 0 or i % 29 == 4])
    if max_failures is None:
        assert (users.checked, users.failing) == (3000, expected)
    else:
        assert (users.failing, serial.stopped_early) == (max_failures, True)


@pytest.mark.parametrize("max_failures", [3, 7, 12])
def test_stopping_early_at_a_block_with_exactly_the_failures_left(
    tmp_path: Path, max_failures: int
) -> None:
    # One failure at the start of every 10 documents, each block about 10 lines: the block
    # that reaches the limit was checked with a larger one (blocks before it in flight), so it
    # holds exactly the failures left and valid documents after them, which do not count.
    first = new_id(USERS)
    docs = [
        {"_id": new_id(USERS), "_creationTime": 1.0, "n": float(i) if i % 10 == 0 else i}
        | {"friend": first}
        for i in range(400)
    ]
    path = write_export(tmp_path / "e.zip", {"users": (USERS, docs)})
    options: dict[str, Any] = {"progress": False, "block_bytes": 1200, "max_failures": max_failures}
    serial = check_export(path, SCHEMA, jobs=1, **options)
    assert serial.tables["users"].checked == 10 * (max_failures - 1) + 1
    for jobs in (2, 3):
        parallel = check_export(path, SCHEMA, jobs=jobs, min_parallel_bytes=0, **options)
        assert parallel.to_json() == serial.to_json()
