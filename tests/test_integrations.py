"""Each integration run for real on about 20 records: the seeds, pages written here, an empty
page, a binary page and a record with extra fields. Each asserts that the row count is kept,
that each row equals clean_record's output, that the error rows are there and that the
pass-through fields survive. They skip when their extra is not installed (CI installs .[all])."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from cleaner import clean_many, clean_record

from .conftest import SEEDS

BODY = "The harbour authority approved a new dredging plan on Tuesday after two years of talks."


def records() -> list[dict]:
    recs: list[dict] = [
        {"id": f"seed-{n}", "url": url, "text": s.read_text()}
        for n, (s, url) in enumerate(
            zip(SEEDS, ("https://kyivindependent.com/nyt/", "https://global.espreso.tv/x"), strict=True)
        )
    ]
    for n in range(14):
        page = (
            f"Harbour story {n}\n\nHome\nNews\nSport\n\n{BODY} Story {n}.\n\nIt is to begin in spring, the "
            "authority said.\n"
        )
        recs.append({"id": f"page-{n}", "text": page})
    recs.append(
        {
            "id": "html-1",
            "html": f"<html><body><nav>Home | News</nav><article><h1>Dredging</h1><p>{BODY}</p></article></body></html>",
        }
    )
    recs.append({"id": "empty", "text": ""})
    recs.append({"id": "binary", "text": "\x00\x01\x02" * 300})
    recs.append(
        {
            "id": "extra",
            "text": f"Extra story\n\n{BODY}",
            "fetched_at": "2023-05-24T11:41:00Z",
            "warc_id": "<urn:uuid:7>",
            "meta": {"depth": 2},
        }
    )
    return recs


def expected() -> dict[str, dict]:
    return {r["id"]: clean_record(r) for r in records()}


def test_clean_record_keeps_the_scrapers_fields_and_fails_without_raising():
    out = expected()
    assert len(out) == 20
    extra = out["extra"]
    assert (extra["fetched_at"], extra["warc_id"], extra["meta"]) == (
        "2023-05-24T11:41:00Z",
        "<urn:uuid:7>",
        {"depth": 2},
    )
    assert list(extra)[:3] == ["id", "source", "text"] and BODY in extra["text"]
    assert set(out["empty"]) == {"id", "error"} and "error" in out["binary"]
    assert "raw_text" in clean_record(records()[-1], options=__import__("cleaner").RecordOptions(keep_raw=True))
    assert clean_record(None)["error"].startswith("not a JSON object")


def test_the_stream_and_clean_many_give_clean_records_bytes(tmp_path):
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records()).encode()))
    p = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl-in", str(src), "-j", "2"], capture_output=True, timeout=120
    )
    lines = p.stdout.decode().splitlines()
    want = expected()
    assert [json.loads(x) for x in lines] == [json.loads(json.dumps(want[r["id"]])) for r in records()]
    assert lines == [json.dumps(want[r["id"]], ensure_ascii=False) for r in records()]  # the same bytes
    assert list(clean_many(records(), jobs=2)) == [json.loads(json.dumps(want[r["id"]])) for r in records()]


def _warc(records_: list[dict]) -> bytes:
    out = b""
    for r in records_:
        body = r.get("html", r.get("text", "")).encode("cp1251", "replace")
        ctype = "text/html; charset=windows-1251" if "html" in r else "text/plain; charset=windows-1251"
        http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{r['id']}>\r\nWARC-Target-URI: "
            f"{r.get('url', 'http://example.test/' + r['id'])}\r\n"
            "WARC-Date: 2023-05-24T11:41:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: "
            f"{len(http)}\r\n\r\n"
        ).encode()
        request = f"WARC/1.0\r\nWARC-Type: request\r\nWARC-Record-ID: <urn:uuid:q{r['id']}>\r\nContent-Length: 4\r\n\r\nGET \r\n\r\n".encode()
        out += gzip.compress(request) + gzip.compress(head + http + b"\r\n\r\n")
    return out


def test_a_warc_file_is_a_stream_of_its_responses(tmp_path):
    pytest.importorskip("fastwarc", reason="WARC support is not installed (pip install -e '.[warc]')")
    recs = [r for r in records() if r["id"] not in ("binary",)]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc(recs))
    p = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(path), "-j", "1"], capture_output=True, timeout=120
    )
    out = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == [f"<urn:uuid:{r['id']}>" for r in recs]  # responses only, in order
    assert out[0]["url"] == "https://kyivindependent.com/nyt/" and out[0]["pack"] == "kyiv_independent@2"
    assert (
        out[0]["warc_date"] == "2023-05-24T11:41:00Z"
        and "error" in out[recs.index(next(r for r in recs if r["id"] == "empty"))]
    )
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "crawl.warc.gz").write_bytes(path.read_bytes())  # in a folder: a page a response
    (folder / "renamed.bin").write_bytes(path.read_bytes())  # a WARC not named as one: refused, not read as a page
    p = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(folder), "-o", str(tmp_path / "out"), "-j", "2"],
        capture_output=True,
        timeout=120,
    )
    assert p.returncode == 1 and b"renamed.bin: a WARC file holds many pages" in p.stderr
    pages = sorted((tmp_path / "out" / "crawl").iterdir())
    assert len(pages) == len(recs) - 1  # the empty response fails alone
    p = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(folder), "--to", "jsonl", "-j", "1"],
        capture_output=True,
        timeout=120,
    )
    docs = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert docs[0]["source"] == "crawl.warc.gz#1" and docs[0]["url"] == "https://kyivindependent.com/nyt/"
    assert docs[0]["text"] == json.loads(json.dumps(clean_record(recs[0])))["text"]


# -- Scrapy -------------------------------------------------------------------------------------


SPIDER = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

class Pages(scrapy.Spider):
    name = "pages"
    def __init__(self, urls, **kw):
        super().__init__(**kw)
        self.urls = urls
    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url)
    def parse(self, response):
        rec = json.loads(response.body)
        yield rec

class Keep:
    items = []
    def process_item(self, item, spider=None):
        Keep.items.append(dict(item))
        return item

if __name__ == "__main__":
    urls = json.loads(sys.argv[1])
    process = CrawlerProcess({
        "ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 300, "__main__.Keep": 900},
        "CLEANER_DROP_EMPTY": sys.argv[2] == "drop",
        "LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    })
    crawler = process.create_crawler(Pages)
    process.crawl(crawler, urls=urls)
    process.start()
    print(json.dumps({"items": Keep.items, "stats": {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("cleaner/")}}, default=str))
"""


def test_scrapy_pipeline_over_file_urls(tmp_path):
    pytest.importorskip("scrapy", reason="Scrapy is not installed (pip install -e '.[scrapy]')")
    urls = []
    for n, rec in enumerate(records()):
        page = tmp_path / f"r{n:02}.json"
        page.write_text(json.dumps(rec))
        urls.append(page.as_uri())
    (tmp_path / "spider.py").write_text(SPIDER)
    want = expected()
    for mode in ("keep", "drop"):
        p = subprocess.run(
            [sys.executable, str(tmp_path / "spider.py"), json.dumps(urls), mode],
            capture_output=True,
            timeout=180,
            cwd=tmp_path,
        )
        assert p.returncode == 0, p.stderr.decode()[-2000:]
        got = json.loads(p.stdout.decode().splitlines()[-1])
        items = {i["id"]: i for i in got["items"]}
        if mode == "keep":
            assert len(items) == 20
            for rid, out in want.items():
                assert items[rid] == json.loads(json.dumps(out, default=str)), rid
            assert got["stats"]["cleaner/failed"] == 2 and got["stats"]["cleaner/cleaned"] == 18
        else:
            assert set(items) == {rid for rid, out in want.items() if "error" not in out and out["text"]}
            assert got["stats"]["cleaner/dropped"] == 20 - len(items)


# -- datatrove ----------------------------------------------------------------------------------


DATATROVE = """
import json, sys
from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.writers import JsonlWriter
from cleaner.integrations.datatrove import CleanerStep

RECORDS = json.loads(open(sys.argv[1]).read())

def reader(data, rank=0, world_size=1):
    for n, rec in enumerate(RECORDS):
        if n % world_size == rank:
            page = rec.get("html", rec.get("text", ""))
            meta = {k: v for k, v in rec.items() if k not in ("id", "text", "html")}
            yield Document(text=page, id=rec["id"], metadata=meta)

if __name__ == "__main__":
    LocalPipelineExecutor(
        pipeline=[reader, CleanerStep(keep_failed=True), JsonlWriter(sys.argv[2], compression=None)],
        tasks=2, workers=2, logging_dir=sys.argv[3],
    ).run()
"""


def test_datatrove_step_with_two_tasks(tmp_path):
    pytest.importorskip("datatrove", reason="datatrove is not installed (pip install -e '.[datatrove]')")
    (tmp_path / "recs.json").write_text(json.dumps(records()))
    (tmp_path / "run.py").write_text(DATATROVE)
    p = subprocess.run(
        [
            sys.executable,
            str(tmp_path / "run.py"),
            str(tmp_path / "recs.json"),
            str(tmp_path / "out"),
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    docs = [json.loads(x) for f in sorted((tmp_path / "out").glob("*.jsonl")) for x in f.read_text().splitlines()]
    assert len(docs) == 20
    want = expected()
    for doc in docs:
        out = want[doc["id"]]
        if "error" in out:
            assert doc["metadata"]["cleaner_error"] == out["error"]
            continue
        assert doc["text"] == out["text"]
        for key, value in out.items():
            if key not in ("id", "text"):
                assert doc["metadata"][key] == json.loads(json.dumps(value)), (doc["id"], key)
    extra = next(d for d in docs if d["id"] == "extra")
    assert extra["metadata"]["warc_id"] == "<urn:uuid:7>" and extra["metadata"]["meta"] == {"depth": 2}
    stats = json.loads(next((tmp_path / "logs" / "stats").glob("*.json")).read_text())
    assert any("cleaned" in json.dumps(s) for s in stats)


# -- Ray ----------------------------------------------------------------------------------------


RAY = """
import json, sys
import ray
from cleaner.integrations.ray import clean_dataset

if __name__ == "__main__":
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    recs = json.loads(open(sys.argv[1]).read())
    rows = clean_dataset(ray.data.from_items(recs), concurrency=2, batch_size=4).take_all()
    print(json.dumps(rows, default=str))
"""


def test_ray_engine_and_clean_dataset_match_the_local_pool(tmp_path):
    pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")
    root = tmp_path / "in"
    root.mkdir()
    for rec in records():
        (root / f"{rec['id']}.txt").write_text(rec.get("html", rec.get("text", "")))
    runs = {}
    for name, extra in (("local", ["-j", "1"]), ("ray", ["--engine", "ray", "-j", "2"])):
        out = tmp_path / name
        p = subprocess.run(
            [sys.executable, "-m", "cleaner", "clean", str(root), "-o", str(out), "--to", "json", *extra],
            capture_output=True,
            timeout=300,
        )
        assert p.returncode == 1, p.stderr.decode()[-2000:]  # the empty and the binary page fail
        runs[name] = {f.name: f.read_bytes() for f in out.iterdir() if f.name not in ("summary.json", "report.html")}
    assert runs["ray"] == runs["local"] and len(runs["local"]) == 19  # 18 pages and errors.jsonl
    assert len((tmp_path / "ray" / "errors.jsonl").read_text().splitlines()) == 2
    (tmp_path / "recs.json").write_text(json.dumps(records()))
    (tmp_path / "ray_data.py").write_text(RAY)
    p = subprocess.run(
        [sys.executable, str(tmp_path / "ray_data.py"), str(tmp_path / "recs.json")], capture_output=True, timeout=300
    )
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    rows = json.loads(p.stdout.decode().splitlines()[-1])
    assert len(rows) == 20
    want = expected()
    for row in rows:
        out = json.loads(json.dumps(want[row["id"]]))
        assert {k: v for k, v in row.items() if v is not None and (k in out or v != [])} == {
            k: v for k, v in out.items() if v is not None
        }, row["id"]
    extra = next(r for r in rows if r["id"] == "extra")
    assert extra["warc_id"] == "<urn:uuid:7>" and extra["fetched_at"] == "2023-05-24T11:41:00Z"


def test_scrapy_item_classes_take_their_declared_fields():
    scrapy = pytest.importorskip("scrapy", reason="Scrapy is not installed (pip install -e '.[scrapy]')")
    from cleaner import RecordOptions
    from cleaner.integrations.scrapy import CleanerPipeline

    class Page(scrapy.Item):
        id = scrapy.Field()
        html = scrapy.Field()
        text = scrapy.Field()
        title = scrapy.Field()
        fetched_at = scrapy.Field()

    item = Page(id=1, html=f"<html><body><h1>Dredging</h1><p>{BODY}</p></body></html>", fetched_at="2023")
    got = CleanerPipeline(RecordOptions(), drop_empty=False)._clean(item)
    assert got is item and BODY in item["text"] and item["fetched_at"] == "2023" and "html" not in item
    assert set(item.keys()) <= {"id", "text", "title", "fetched_at"}  # undeclared fields are not forced in
    with pytest.raises(scrapy.exceptions.DropItem):
        CleanerPipeline(RecordOptions(), drop_empty=True)._clean(Page(id=2, text=""))


def test_datatrove_step_drops_failures_unless_asked_to_keep_them():
    pytest.importorskip("datatrove", reason="datatrove is not installed (pip install -e '.[datatrove]')")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerStep

    docs = [
        Document(text=r.get("html", r.get("text", "")), id=r["id"], metadata={"url": r.get("url")}) for r in records()
    ]
    step = CleanerStep()
    kept = list(step.run(iter(docs)))
    assert len(kept) == 18 and {d.id for d in kept} == {r["id"] for r in records()} - {"empty", "binary"}
    assert step.stats["dropped"].total == 2 and step.stats["cleaned"].total == 18
    seed = next(d for d in kept if d.id == "seed-0")
    assert seed.metadata["pack"] == "kyiv_independent@2" and seed.metadata["url"] == "https://kyivindependent.com/nyt/"


def test_a_stream_on_ray_gives_the_local_bytes(tmp_path):
    pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records()))
    outs = []
    for extra in (["-j", "1"], ["--engine", "ray", "-j", "2"]):
        p = subprocess.run(
            [sys.executable, "-m", "cleaner", "clean", "--jsonl-in", str(src), *extra], capture_output=True, timeout=300
        )
        assert p.returncode == 1, p.stderr.decode()[-2000:]
        outs.append(p.stdout)
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 20
