"""Adapters for the frameworks scraping jobs run in (Scrapy, datatrove, Ray), each over the one
record function, clean_record, so that all of them give the same fields as `clean --jsonl-in`.
Each module imports its framework; install it with the matching extra (news-cleaner[scrapy] ...)."""
