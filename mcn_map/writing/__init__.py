"""Writing outputs: files written atomically and safely (``files``), JSON text (``jsontext``), and finished
worksheets (``spreadsheet``)."""
