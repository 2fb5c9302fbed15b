"""A datatrove pipeline step: `CleanerStep()` between a reader and a writer.

It cleans each `Document.text` (a text dump or HTML, told apart by sniffing, or as `format`
says), puts the cleaner's fields in `Document.metadata` (title, author, date, pack, removed ...),
and counts cleaned, failed and dropped documents in datatrove's stats. A page that fails is
dropped, or kept unchanged with `metadata["cleaner_error"]` when `keep_failed=True`. As a
datatrove step it runs on the local, Slurm and Ray executors alike.

Mind two traps of datatrove itself: an executor started at import time needs an
`if __name__ == "__main__":` guard (its workers import the script), and `JsonlReader` skips
records whose text is empty before any step sees them."""

from __future__ import annotations

from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ..batch import RecordOptions, clean_record
from ..pipeline import Options, sniff


class CleanerStep(PipelineStep):
    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        format: str = "auto",
        url_key: str = "url",
        keep_failed: bool = False,
        keep_raw: bool = False,
        pack: str | None = None,
        rules_dirs: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.format, self.url_key, self.keep_failed = format, url_key, keep_failed
        self.options = RecordOptions(keep_raw=keep_raw, pack=pack, options=Options(rules_dirs=tuple(rules_dirs)))

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                out = clean_record(self.record(doc), options=self.options)
            if "error" in out:
                self.stat_update("failed")
                if not self.keep_failed:
                    self.stat_update("dropped")
                    continue
                doc.metadata["cleaner_error"] = out["error"]
                yield doc
                continue
            self.stat_update("cleaned")
            doc.text = out.pop("text")
            out.pop("id", None)
            doc.metadata.update(out)
            self.update_doc_stats(doc)
            yield doc

    def record(self, doc: Any) -> dict[str, Any]:
        """The Document as a scraper record: its id, its URL (from the metadata), its page."""
        kind = sniff(doc.text) if self.format == "auto" else self.format
        record = {k: v for k, v in doc.metadata.items()}
        record.update(
            {"id": doc.id, "url": doc.metadata.get(self.url_key), ("html" if kind == "html" else "text"): doc.text}
        )
        return record
