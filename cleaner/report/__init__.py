"""Reading a run's results: summary.json, report.html and template drift. Cleans nothing."""
