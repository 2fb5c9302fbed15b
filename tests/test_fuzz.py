"""Seeded fuzzing of every entry point: random bytes, cut and joined seeds, seeds in random
encodings, and random JSON lines, into clean(), `clean --jsonl-in` and a folder batch.

It runs for about CLEANER_FUZZ_SECONDS (default 3) per entry point in the suite; set it higher,
and CLEANER_FUZZ_SEED to explore, on demand:

    CLEANER_FUZZ_SECONDS=120 CLEANER_FUZZ_SEED=7 pytest tests/test_fuzz.py

Asserted everywhere: no traceback, one output record per input record, valid UTF-8 out,
inputs untouched, and only CleanerError from the API."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import CleanerError, clean

from .conftest import SEEDS

SECONDS = float(os.environ.get("CLEANER_FUZZ_SECONDS", "3"))
SEED = int(os.environ.get("CLEANER_FUZZ_SEED", "20261201"))
ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-u", "latin-1", "utf-32")
PIECES = (
    "<html>",
    "<body>",
    "</div>",
    "<div>" * 50,
    "<script>",
    "date 2023-05-24 ",
    "Read also:",
    "\r\n",
    "\u2028",
    "\x00",
    "\ufeff",
    "\ud800",
    "<meta charset=koi8-r>",
    "\u00a0",
    "&amp;",
    "\u0301",
    "%PDF",
    "\x1f\x8b",
)


def _page(rng: random.Random) -> bytes:
    seeds = [s.read_bytes() for s in SEEDS]
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(rng.randrange(0, 3000))
    if kind == 1:
        s = rng.choice(seeds)
        return s[: rng.randrange(len(s) + 1)]
    if kind == 2:
        return b"".join(rng.choice(seeds) for _ in range(rng.randrange(1, 4)))
    if kind == 3:
        text = rng.choice(seeds).decode("utf-8")
        return text.encode(rng.choice(ENCODINGS), errors="replace")
    if kind == 4:
        s = bytearray(rng.choice(seeds))
        for _ in range(rng.randrange(1, 20)):
            if s:
                s[rng.randrange(len(s))] = rng.randrange(256)
        return bytes(s)
    text = rng.choice(seeds).decode("utf-8")
    for _ in range(rng.randrange(1, 8)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(PIECES) + text[at:]
    return text.encode("utf-8", "surrogatepass")


def _record(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randbytes(rng.randrange(1, 200)).decode("latin-1").replace("\n", " ")
    page = _page(rng).decode("utf-8", "replace")
    rec: dict[str, object] = {"id": rng.choice([rng.randrange(10**6), None, "x\ud800", [1, {"a": 2}], 1.5])}
    rec[rng.choice(["text", "html", "body"])] = page if kind != 1 else rng.randrange(10)
    if rng.random() < 0.5:
        rec["url"] = rng.choice(["https://kyivindependent.com/a", "http://[::1", "not a url", 7, "global.espreso.tv/x"])
    if kind == 2:
        rec["extra"] = {"fetched_at": "2023-05-24", "nested": [None, True]}
    line = json.dumps(rec, ensure_ascii=rng.random() < 0.5)
    if kind == 3:
        line = line[: rng.randrange(len(line) + 1)]
    return line


def _until(seconds: float):
    deadline = time.monotonic() + seconds
    n = 0
    while n < 5 or time.monotonic() < deadline:
        yield n
        n += 1


def test_fuzz_the_api():
    rng = random.Random(SEED)
    for _ in _until(SECONDS):
        data = _page(rng)
        fmt = rng.choice(["auto", "text", "html"])
        try:
            doc = clean(data, format=fmt)
        except CleanerError:
            continue
        doc.text.encode("utf-8")
        json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


def test_fuzz_the_stream(tmp_path):
    rng = random.Random(SEED + 1)
    lines: list[str] = []
    for _ in range(int(200 * SECONDS)):  # about a third of SECONDS to clean, on two cores
        lines.append(_record(rng))
    src = tmp_path / "in.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    p = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl-in", str(src), "-j", "2"], capture_output=True, timeout=600
    )
    err = p.stderr.decode("utf-8")
    assert "Traceback" not in err and p.returncode in (0, 1), err[-2000:]
    out = p.stdout.decode("utf-8").split("\n")[:-1]  # valid UTF-8, or this raises; \n only ends a record
    assert len(out) == sum(1 for x in lines if x.encode("utf-8", "surrogatepass").strip())
    assert all(next(iter(json.loads(x))) == "id" for x in out)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_fuzz_a_folder(tmp_path):
    rng = random.Random(SEED + 2)
    root = tmp_path / "in"
    root.mkdir()
    n = 0
    for n in range(int(100 * SECONDS)):
        raw = rng.randbytes(rng.randrange(1, 12)).replace(b"/", b"_").replace(b"\x00", b"_").lstrip(b".") or b"x"
        name = os.fsdecode(b"%04d-" % n + raw)
        with open(root / name, "wb") as fh:
            fh.write(_page(rng))
    count = len(os.listdir(root))
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.iterdir()}
    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(root), "--to", "json", "-o", str(out), "-j", "2"],
        capture_output=True,
        timeout=600,
    )
    err = p.stderr.decode("utf-8")
    assert "Traceback" not in err and p.returncode in (0, 1), err[-2000:]
    outputs = [q for q in out.iterdir() if q.name not in ("errors.jsonl", "summary.json", "report.html")]
    errors = (out / "errors.jsonl").read_bytes().decode("utf-8").splitlines()
    assert len(outputs) + len(errors) == count
    for q in outputs:
        json.loads(q.read_bytes().decode("utf-8"))
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.iterdir()} == digest


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_fuzz_names_never_break_a_message():
    rng = random.Random(SEED + 3)
    from cleaner.sources import display

    for _ in range(2000):
        name = os.fsdecode(rng.randbytes(rng.randrange(1, 30)))
        shown = display(name)
        shown.encode("utf-8")
        assert "\n" not in shown and "\r" not in shown
