"""A Scrapy item pipeline: `ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}`.

Settings (all optional):

| setting | default | meaning |
|---|---|---|
| CLEANER_TEXT_FIELD | "text" | the item field with a page's text dump |
| CLEANER_HTML_FIELD | "html" | the item field with a page's HTML (wins over the text) |
| CLEANER_URL_FIELD | "url" | the item field with the page's URL |
| CLEANER_RULES | [] | extra folders of rule packs |
| CLEANER_DROP_EMPTY | False | raise DropItem when nothing is kept (or the page failed) |
| CLEANER_KEEP_RAW | False | keep the page as raw_<field> |

The item is enriched in place: the cleaner's fields are added, the page field gives way to the
cleaned `text`, and every other field stays. A dict item takes every field; an Item class takes
the fields it declares (declare `text`, `title`, `date` ... as you need them). Cleaning runs in a
thread (deferToThread), so a large HTML page does not stall the reactor. Counts go to the
crawler's stats under `cleaner/`."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from twisted.internet.threads import deferToThread

from ..batch import RecordOptions, StreamFields, clean_record
from ..pipeline import Options


class CleanerPipeline:
    def __init__(self, options: RecordOptions, drop_empty: bool, stats: Any = None) -> None:
        self.options, self.drop_empty, self.stats = options, drop_empty, stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        s = crawler.settings
        fields = StreamFields(
            id=s.get("CLEANER_ID_FIELD", "id"),
            url=s.get("CLEANER_URL_FIELD", "url"),
            text=s.get("CLEANER_TEXT_FIELD", "text"),
            html=s.get("CLEANER_HTML_FIELD", "html"),
        )
        rules = tuple(s.getlist("CLEANER_RULES", []))
        options = RecordOptions(
            fields=fields, keep_raw=s.getbool("CLEANER_KEEP_RAW", False), options=Options(rules_dirs=rules)
        )
        return cls(options, s.getbool("CLEANER_DROP_EMPTY", False), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        return deferToThread(self._clean, item)

    def _clean(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        out = clean_record(dict(adapter.items()), options=self.options)
        failed = "error" in out
        self._count("failed" if failed else "cleaned")
        if not failed:
            self._count(f"pack/{out['pack']}")
        if self.drop_empty and (failed or not out.get("text")):
            self._count("dropped")
            raise DropItem(f"cleaner: {out.get('error') or 'nothing kept'}")
        fields = self.options.fields
        for key in (fields.text, fields.html):
            if key in adapter and not self.options.keep_raw:
                del adapter[key]
        declared = None if isinstance(item, dict) else set(adapter.field_names())
        for key, value in out.items():
            if declared is None or key in declared:
                adapter[key] = value
        return item

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"cleaner/{key}")
