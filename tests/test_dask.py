"""`vschema.dask` on a real two-worker `LocalCluster` on loopback (worker processes, no
dashboard), started once for the module: the same report as ``vschema validate``."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask.bag as db
import pytest
from distributed import Client, LocalCluster

import vschema.dask
from vschema import SchemaError, define_schema, define_table, new_id, v
from vschema.dask import check_bag, check_paths
from vschema.data import validate_files

SCHEMA = define_schema(
    {
        "users": define_table(
            {"name": v.string(), "age": v.number(), "tags": v.optional(v.array(v.string()))}
        )
    }
)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _rows(count: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(count):
        row: dict[str, Any] = {"name": f"n{i}", "age": i}
        if i % 5 == 1:
            row["age"] = str(i)
        if i % 7 == 2:
            row["tags"] = [1]
        rows.append(row)
    return rows


def _failing(count: int) -> int:
    return len([i for i in range(count) if i % 5 == 1 or i % 7 == 2])


def test_a_bag_of_rows_is_checked_on_the_workers(client: Client) -> None:
    rows = _rows(300)
    report = check_bag(db.from_sequence(rows, npartitions=4), SCHEMA, "users")
    table = report.tables["users"]
    assert (table.checked, table.failing) == (300, _failing(300))
    assert table.groups[(".age", "no_match")].count == len(range(1, 300, 5))
    assert table.groups[(".tags[*]", "no_match")].count == len(range(2, 300, 7))
    # Merged in partition order: the first examples are the first failing rows.
    assert [e.where for e in table.groups[(".age", "no_match")].examples] == [
        "partition 0[1]",
        "partition 0[6]",
        "partition 0[11]",
    ]
    # Each worker compiled the schema once, however many partitions it ran.
    check_bag(db.from_sequence(rows, npartitions=6), SCHEMA, "users")
    counts = client.run(lambda: len(vschema.dask._CHECKERS))
    assert sorted(counts.values()) in ([1, 1], [0, 1])


def test_a_bag_of_documents_names_failures_by_id(client: Client) -> None:
    documents = [
        {"_id": new_id(3, bytes([i] * 16)), "_creationTime": 1.0 + i, **row}
        for i, row in enumerate(_rows(20))
    ]
    report = check_bag(db.from_sequence(documents, npartitions=2), SCHEMA, "users", documents=True)
    table = report.tables["users"]
    assert (table.checked, table.failing) == (20, _failing(20))
    assert table.groups[(".age", "no_match")].examples[0].where == documents[1]["_id"]


def test_json_lines_paths_give_the_report_of_vschema_validate(
    client: Client, tmp_path: Path
) -> None:
    rows = _rows(200)
    paths = []
    for part in range(3):
        path = tmp_path / f"rows-{part}.jsonl"
        lines = [json.dumps(row) for row in rows[part::3]]
        if part == 1:
            lines.insert(4, "{broken")
        path.write_text("\n".join(lines) + "\n")
        paths.append(str(path))
    report = check_paths(str(tmp_path / "rows-*.jsonl"), SCHEMA, "users")
    assert report.to_json() == validate_files(SCHEMA, "users", paths, jobs=1).to_json()
    assert report.tables["users"].failing == _failing(200) + 1
    # Compressed files by their suffix, read through fsspec.
    packed = tmp_path / "packed.jsonl.gz"
    packed.write_bytes(gzip.compress(Path(paths[0]).read_bytes()))
    same = check_paths([str(packed)], SCHEMA, "users").tables["users"]
    first = validate_files(SCHEMA, "users", paths[:1], jobs=1).tables["users"]
    assert (same.checked, same.failing) == (first.checked, first.failing)


def test_mistakes_fail_before_any_task(client: Client, tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match='Table "nope" is not in this schema'):
        check_bag(db.from_sequence([{}]), SCHEMA, "nope")
    with pytest.raises(FileNotFoundError):
        check_paths(str(tmp_path / "none-*.jsonl"), SCHEMA, "users")


@pytest.mark.parametrize("max_failures", [1, 9, 40])
def test_max_failures_stops_where_vschema_validate_does(
    client: Client, tmp_path: Path, max_failures: int
) -> None:
    rows = _rows(200)
    # Stopping in the middle of a partition (9), at its first failure (1), in a later one (40).
    report = check_bag(
        db.from_sequence(rows, npartitions=4), SCHEMA, "users", max_failures=max_failures
    )
    failing_at = [i for i in range(200) if i % 5 == 1 or i % 7 == 2]
    table = report.tables["users"]
    assert (table.checked, table.failing, report.stopped_early) == (
        failing_at[max_failures - 1] + 1,
        max_failures,
        True,
    )
    paths = []
    for part in range(3):
        path = tmp_path / f"rows-{part}.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows[part::3]))
        paths.append(str(path))
    serial = validate_files(SCHEMA, "users", paths, jobs=1, max_failures=max_failures)
    assert check_paths(paths, SCHEMA, "users", max_failures=max_failures).to_json() == (
        serial.to_json()
    )
    with pytest.raises(ValueError, match="max_failures must be at least 1, got 0"):
        check_bag(db.from_sequence(rows), SCHEMA, "users", max_failures=0)
