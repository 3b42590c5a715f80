"""The batch engine: files, directories and dumps to pages, pages to records, records to sinks."""
