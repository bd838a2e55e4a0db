"""'Play Snap!': each chair pseudonymises their own case list with the shared key; the analyst combines the lists.

A snapped list holds, per person discussed, only the forum, a keyed pseudonym (``snap-`` + HMAC-SHA256), the month
discussed (or the day, when the analyst asks for it: an exact date helps re-identification), the lead agency and the
lead worker's post when the list has them, plus the key's fingerprint so lists made with different keys are never
mixed. The cohorts loader recognises snapped pseudonyms and keeps them as they are, so the same person links
across every list snapped with the same key, and nothing links across different keys.

The room follows the flow: :mod:`.read` (case lists, wanted columns, the landscape's ids), :mod:`.check` (what must
not be shared, what cannot be read), :mod:`.make` (snap one meeting's lists; combine the snapped lists) and
:mod:`.write` (a private .xlsx or .csv, or the landscape's cohorts sheet).

>>> import pandas as pd
>>> lists = [("a.csv", pd.DataFrame({"NHS number": ["999 000 0018"], "Date": ["03/09/2026"]}))]
>>> frame = snap_frames(lists, "marac", bytes(32)).frame
>>> frame.loc[0, "forum_id"], frame.loc[0, "person_id"].startswith("snap-"), frame.loc[0, "discussed_on"]
('marac', True, '2026-09')
"""

from .make import SnapSummary, Snapped, combine_files, snap_files, snap_frames
from .read import (COHORT_COLUMNS, DATE_COLUMN_GUESSES, DATE_PRECISIONS, ID_COLUMN_GUESSES, LEAD_COLUMN_GUESSES,
                   POST_COLUMN_GUESSES, SNAP_COLUMNS, LandscapeNames, landscape_names, read_table)
from .write import WrittenInto, table_bytes, write_into, write_table

__all__ = ["SNAP_COLUMNS", "COHORT_COLUMNS", "ID_COLUMN_GUESSES", "DATE_COLUMN_GUESSES", "LEAD_COLUMN_GUESSES",
           "POST_COLUMN_GUESSES", "DATE_PRECISIONS", "SnapSummary", "Snapped", "LandscapeNames", "landscape_names",
           "read_table", "snap_frames", "snap_files", "combine_files", "table_bytes", "write_table", "write_into",
           "WrittenInto"]
