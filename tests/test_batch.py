"""Folders and streams: mirrored trees, records, bad pages mixed in, resume after SIGKILL."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import clean
from cleaner.batch import Job, Task, ordered_map, output_path, walk, write_atomic
from cleaner.cli import clean_command
from cleaner.output import render

from .conftest import ROOT, SEEDS

GOOD = "City council approves new budget\n\nThe council approved the budget on Monday after a long debate.\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "a" / "b").mkdir(parents=True)
    for seed in SEEDS:
        (root / seed.name).write_bytes(seed.read_bytes())
    (root / "a" / "council.txt").write_text(GOOD)
    (root / "a" / "b" / "page.html").write_bytes(SEEDS[0].read_bytes())  # text, named .html
    return root


@pytest.fixture
def bad_tree(tree: Path) -> Path:
    (tree / "empty.txt").write_bytes(b"")
    (tree / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (tree / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 20)
    os.symlink(tree / "missing-target.txt", tree / "unreadable.txt")  # a dangling link: reading fails
    return tree


def invoke(*args: str):
    return CliRunner().invoke(clean_command, list(args))


def test_tree_mirrors_input(tree, tmp_path):
    out = tmp_path / "out"
    r = invoke(str(tree), "-o", str(out), "--to", "json", "-j", "1")
    assert r.exit_code == 0, r.stderr
    got = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert got == [
        "000_6aa1473ee51530f9.json",
        "001_f1b761cdafbe3bda.json",
        "a/b/page.json",
        "a/council.json",
        "errors.jsonl",
        "report.html",
        "summary.json",
    ]
    doc = json.loads((out / "a/b/page.json").read_text())
    assert doc["source"] == "a/b/page.html" and doc["pack"] == "kyiv_independent@2"
    assert (out / "errors.jsonl").read_text() == ""
    assert r.stderr.startswith("4 pages: 4 cleaned, 0 failed")


def test_tree_output_equals_single_file_clean(tree, tmp_path):
    out = tmp_path / "out"
    invoke(str(tree), "-o", str(out), "-j", "2")
    for seed in SEEDS:
        assert (out / seed.name).read_text() == render(clean(seed.read_bytes()), "text")


def test_glob_and_exclude(tree, tmp_path):
    out = tmp_path / "out"
    invoke(str(tree), "-o", str(out), "--glob", "*.txt", "--exclude", "a/*", "-j", "1")
    assert sorted(p.name for p in out.glob("**/*.txt")) == sorted(s.name for s in SEEDS)


def test_tree_to_jsonl_stdout_same_for_any_jobs(tree):
    one = invoke(str(tree), "--to", "jsonl", "-j", "1")
    two = invoke(str(tree), "--to", "jsonl", "-j", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    sources = [json.loads(x)["source"] for x in one.stdout.splitlines()]
    # a folder's files, then its subfolders
    assert sources == ["000_6aa1473ee51530f9.txt", "001_f1b761cdafbe3bda.txt", "a/council.txt", "a/b/page.html"]


def test_tree_same_files_for_any_jobs(bad_tree, tmp_path):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        invoke(str(bad_tree), "-o", str(out), "--to", "json", "-j", jobs)
        timing = ("seconds", "pages_per_second")
        summary = {k: v for k, v in json.loads((out / "summary.json").read_text()).items() if k not in timing}
        pages = {
            p.relative_to(out): p.read_bytes()
            for p in out.rglob("*")
            if p.is_file() and p.name not in ("summary.json", "report.html")
        }
        outs.append((pages, summary))
    assert outs[0] == outs[1]  # the pages byte for byte; the summary but for its timings


def test_folder_needs_an_output(tree):
    r = invoke(str(tree))
    assert r.exit_code == 2 and "needs -o OUT" in r.stderr


def test_bad_pages_are_recorded_and_the_batch_goes_on(bad_tree, tmp_path):
    out = tmp_path / "out"
    r = invoke(str(bad_tree), "-o", str(out), "-j", "2")
    assert r.exit_code == 1
    errors = {json.loads(x)["source"]: json.loads(x)["error"] for x in (out / "errors.jsonl").read_text().splitlines()}
    assert set(errors) == {"empty.txt", "binary.txt", "undecodable.txt", "unreadable.txt"}
    assert "empty" in errors["empty.txt"] and "binary" in errors["binary.txt"]
    assert "cannot decode" in errors["undecodable.txt"] and "no such file" in errors["unreadable.txt"]
    assert len(list(out.rglob("*.txt"))) == 4  # every good page still cleaned
    assert "8 pages: 4 cleaned, 4 failed" in r.stderr
    for name in errors:
        assert f"error: {name}: " in r.stderr


def test_inputs_are_never_modified(bad_tree, tmp_path):
    before = {p: p.read_bytes() for p in bad_tree.rglob("*") if p.is_file() and not p.is_symlink()}
    invoke(str(bad_tree), "-o", str(tmp_path / "out"), "-j", "2")
    assert {p: p.read_bytes() for p in bad_tree.rglob("*") if p.is_file() and not p.is_symlink()} == before


def test_output_inside_input_is_refused_unless_excluded(tree):
    r = invoke(str(tree), "-o", str(tree / "clean"))
    assert r.exit_code == 2 and "inside" in r.stderr and "--exclude 'clean'" in r.stderr
    r = invoke(str(tree), "-o", str(tree / "clean"), "--exclude", "clean", "-j", "1")
    assert r.exit_code == 0
    r = invoke(str(tree), "-o", str(tree / "clean"), "--exclude", "clean", "-j", "1")
    assert "4 pages" in r.stderr  # its own earlier output is not cleaned again


def test_symlinks_leaving_the_tree_are_not_followed(tree, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(GOOD)
    os.symlink(outside, tree / "link.txt")
    os.symlink(tmp_path, tree / "linkdir")
    os.symlink(tree / "a" / "council.txt", tree / "inside-link.txt")
    rels = [e.rel for e in walk(tree)]
    assert "link.txt" not in rels and not any(r.startswith("linkdir") for r in rels)
    assert "inside-link.txt" in rels


def test_output_name_collisions_keep_both(tmp_path):
    taken: set[str] = set()
    got = {Path(rel): Path(output_path(rel, ".txt", taken)) for rel in ("a.html", "a.txt")}
    assert got == {Path("a.html"): Path("a.txt"), Path("a.txt"): Path("a.txt.txt")}
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.html").write_text(GOOD)
    (root / "a.txt").write_text(GOOD.replace("Monday", "Tuesday"))
    out = tmp_path / "out"
    invoke(str(root), "-o", str(out), "-j", "1")
    assert sorted(p.name for p in out.glob("a*")) == ["a.txt", "a.txt.txt"]
    assert "Tuesday" in (out / "a.txt.txt").read_text()


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "x" / "page.txt"
    write_atomic(target, "old\n")

    class Boom(Exception):
        pass

    def broken_replace(src, dst):
        raise Boom

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(Boom):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in target.parent.iterdir()] == ["page.txt"]


def test_atomic_write_survives_its_folder_going_away(tmp_path):
    target = tmp_path / "x" / "page.txt"
    write_atomic(target, "one\n")
    shutil.rmtree(tmp_path / "x")  # the process remembers the folder; it must make it again
    write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "y.txt", "x\n")
    finally:
        os.umask(old)
    assert (tmp_path / "y.txt").stat().st_mode & 0o777 == 0o644  # not a temp file's 0600


def test_atomic_write_of_a_name_at_the_length_limit(tmp_path):
    target = tmp_path / ("a" * 251 + ".txt")  # 255 bytes: the most most file systems allow
    write_atomic(target, "x\n")
    assert target.read_text() == "x\n" and len(list(tmp_path.iterdir())) == 1


def test_resume_skips_finished_pages_and_stale_temps(tree, tmp_path):
    out = tmp_path / "out"
    invoke(str(tree), "-o", str(out), "-j", "1")
    (out / "a" / "council.txt").unlink()
    (out / ".clean-leftover.tmp").write_text("partial")
    r = invoke(str(tree), "-o", str(out), "--resume", "-j", "1")
    assert "4 pages: 1 cleaned, 0 failed, 3 skipped" in r.stderr
    assert (out / "a" / "council.txt").exists() and not (out / ".clean-leftover.tmp").exists()


def test_page_time_limit(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.toml").write_text(
        'schema = 1\nid = "slow"\nname = "Slow"\nversion = 1\n'
        '[[text.drop]]\nid = "slow.x"\nkind = "line"\npattern = \'(?:a|aa)+$b\'\nreason = "catastrophic"\n'
    )
    root = tmp_path / "in"
    root.mkdir()
    (root / "p.txt").write_text("a" * 3000 + "b\n\n" + GOOD)  # the plan cannot rule it out
    (root / "q.txt").write_text(GOOD)
    out = tmp_path / "out"
    t0 = time.perf_counter()
    r = invoke(str(root), "-o", str(out), "--pack", "slow", "--rules", str(rules), "--page-timeout", "0.3", "-j", "1")
    assert time.perf_counter() - t0 < 5
    assert r.exit_code == 1 and "page time limit" in (out / "errors.jsonl").read_text()
    assert (out / "q.txt").exists()


def test_stream_in_order_with_errors(tmp_path):
    recs = [
        {"id": 7, "url": "https://kyivindependent.com/x", "text": SEEDS[0].read_text()},
        {"id": "u2028", "text": "First sentence\u2028same record. " + GOOD},
        "not json",
        {"id": 9},
        {"doc": "x", "body": GOOD},
    ]
    data = "\n".join(json.dumps(r, ensure_ascii=False) if isinstance(r, dict) else r for r in recs) + "\n"
    path = tmp_path / "in.jsonl"
    path.write_text(data, encoding="utf-8")
    for jobs in ("1", "2"):
        r = invoke("--jsonl-in", str(path), "-j", jobs)
        out = [json.loads(x) for x in r.stdout.split("\n") if x]
        assert r.exit_code == 1
        assert [o["id"] for o in out] == [7, "u2028", "record 3", 9, "record 5"]
        assert out[0]["pack_reason"] == "host" and out[0]["title"].startswith("NYT:")
        assert "same record" in out[1]["text"]
        assert "error" in out[2] and "error" in out[3]
    r = invoke("--jsonl-in", str(path), "--id-field", "doc", "--text-field", "body", "-j", "1")
    assert [json.loads(x).get("id") for x in r.stdout.split("\n") if x][-1] == "x"


def test_stream_stdin():
    line = json.dumps({"id": 1, "text": GOOD}) + "\n"
    r = CliRunner().invoke(clean_command, ["--jsonl-in", "-", "-j", "1"], input=line * 3)
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 3


def test_stream_answers_each_record_before_the_next_arrives():
    """A client that waits for each answer before it sends the next record (request and
    response over a pipe) must get it: the pool may not hold a record back to fill a chunk."""
    cmd = [sys.executable, "-m", "cleaner", "clean", "--jsonl-in", "-", "-j", "2"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    answers = []
    try:
        for n in range(3):
            proc.stdin.write((json.dumps({"id": n, "text": GOOD}) + "\n").encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, f"no answer to record {n} while the stream stays open"
            answers.append(json.loads(proc.stdout.readline())["id"])
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()  # type: ignore[union-attr]
    assert answers == [0, 1, 2] and proc.returncode == 0


def test_live_map_keeps_order_and_raises_a_read_error_after_the_results():
    def tasks():
        for n in range(40):
            yield Task(f"t{n}", data=GOOD if n % 3 else b"", fmt="text")  # every third page fails
        raise OSError("stream broke")

    got = []
    with pytest.raises(OSError, match="stream broke"):
        for result in ordered_map(Job(to="jsonl"), tasks(), jobs=2, live=True):
            got.append((result.source, result.ok))
    assert got == [(f"t{n}", n % 3 != 0) for n in range(40)]


def _make_corpus(root: Path, n: int) -> None:
    seeds = [s.read_text() for s in SEEDS]
    for i in range(n):
        d = root / f"d{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"p{i:05d}.txt").write_text(seeds[i % 2].replace("Belgorod", f"Belgorod-{i}"))


def _group_alive(pgid: int) -> bool:
    """Is a process of the group still running? A zombie (killed, not yet reaped) has stopped."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _wait_group_gone(pgid: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while _group_alive(pgid):
        assert time.time() < deadline, f"process group {pgid} still running after SIGKILL"
        time.sleep(0.02)


def test_sigkill_then_resume(tmp_path):
    """A real process killed mid-run, then resumed: every output whole, none missing, none redone."""
    root, out = tmp_path / "in", tmp_path / "out"
    _make_corpus(root, 600)
    cmd = [
        sys.executable,
        "-m",
        "cleaner",
        "clean",
        str(root),
        "-o",
        str(out),
        "--to",
        "json",
        "-j",
        "2",
        "--no-template",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.rglob("*.json"))) < 60:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    _wait_group_gone(proc.pid)  # a worker can finish a rename after the parent is reaped
    done_before = {p: p.read_bytes() for p in out.rglob("*.json")}
    assert 0 < len(done_before) < 600, "the run should be killed part-way"
    for data in done_before.values():
        json.loads(data)  # whole: a killed run never leaves a half-written output
    r = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert f"600 pages: {600 - len(done_before)} cleaned, 0 failed, {len(done_before)} skipped" in r.stderr
    outputs = [p for p in out.rglob("*.json") if p.name != "summary.json"]
    assert len(outputs) == 600 and not list(out.rglob(".clean-*"))
    for p in outputs:
        doc = json.loads(p.read_text())
        assert doc["source"] == p.relative_to(out).with_suffix(".txt").as_posix()
    for p, data in done_before.items():
        assert p.read_bytes() == data  # not done twice


def test_main_module_runs():
    r = subprocess.run(
        [sys.executable, "-m", "cleaner", "packs", "list"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert r.returncode == 0 and "kyiv_independent@2" in r.stdout


def _site(root: Path, n: int) -> None:
    """n pages of one made-up site: its promo line inside every article, one shared paragraph."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"p{i}.txt").write_text(
            f"The district council met on day {i} to discuss the plan for road number {i}, officials said.\n\n"
            "Listen to our podcast every Friday\n\n"
            "The ministry has not yet published the full budget for the regional repair programme.\n\n"
            f"Work on road {i} is expected to start within {i + 2} weeks, the council said in a statement.\n"
        )


def test_template_lines_go_as_batch_repeated(tmp_path):
    _site(tmp_path / "in", 6)
    out = tmp_path / "out"
    r = invoke(str(tmp_path / "in"), "-o", str(out), "--to", "json", "-j", "1")
    assert r.exit_code == 0 and "site template: 1 repeated lines" in r.stderr
    doc = json.loads((out / "p3.json").read_text())
    assert "podcast" not in doc["text"]
    assert [x["rule"] for x in doc["removed"]] == ["batch.repeated"]
    assert "has not yet published the full budget" in doc["text"]  # a repeated paragraph stays
    assert "road 3 is expected to start" in doc["text"]


def test_template_needs_enough_pages_and_can_be_off(tmp_path):
    _site(tmp_path / "few", 2)
    r = invoke(str(tmp_path / "few"), "--to", "jsonl", "-j", "1")
    assert all("podcast" in json.loads(x)["text"] for x in r.stdout.splitlines())
    _site(tmp_path / "many", 6)
    r = invoke(str(tmp_path / "many"), "--to", "jsonl", "-j", "1", "--no-template")
    assert all("podcast" in json.loads(x)["text"] for x in r.stdout.splitlines())
    r = invoke(
        str(tmp_path / "many"), "--to", "jsonl", "-j", "1", "--template-share", "0.9", "--template-min-pages", "7"
    )
    assert all("podcast" in json.loads(x)["text"] for x in r.stdout.splitlines())


def test_template_is_off_for_single_pages(tmp_path):
    _site(tmp_path / "in", 6)
    r = invoke(str(tmp_path / "in" / "p1.txt"))
    assert "podcast" in r.stdout


def test_progress_shows_on_a_terminal_only(tmp_path):
    import pty

    _make_corpus(tmp_path / "in", 300)
    cmd = [sys.executable, "-m", "cleaner", "clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1"]
    (tmp_path / "in" / "zz").mkdir()
    (tmp_path / "in" / "zz" / "empty.txt").write_bytes(b"")  # walked last: an error while progress shows
    leader, follower = pty.openpty()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=follower, timeout=120, check=False)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.returncode == 1
    assert b"\r" + b" " * 60 + b"\rerror: zz/empty.txt" in seen  # the progress line is cleared first
    assert b" pages, " in seen  # the progress counter ("1,234/3,000 pages, 600/s, 3 s left"), not the summary
    assert b"/301 pages, " in seen and b" left" in seen  # the total and an ETA: a folder's total is known
    progress = [x for x in seen.split(b"\r") if b"/301 pages" in x]
    assert all(b"error" not in x for x in progress)
    piped = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert " pages, " not in piped.stderr and piped.stderr.startswith("error: zz/empty.txt")
