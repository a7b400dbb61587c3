"""str(DataFrame) by real pandas for tests/models/frame_repr_test.ts: frames as JSON on stdin
({columns, rows or records, float_columns}), one text each on stdout. Run as a script (not under IPython), as a
scoring server runs: pandas' display.max_columns is then 0 and the frame is fitted to the terminal
width, 80 when stdout is not a terminal."""
import json
import os
import sys

import pandas as pd

os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)
answers = []
for frame in json.load(sys.stdin):
    # A list of records (as dataframe_records sends them: a key may be absent) or rows of values.
    if "records" in frame:
        df = pd.DataFrame(frame["records"])
    else:
        df = pd.DataFrame(frame["rows"], columns=frame["columns"])
    for name in frame.get("float_columns", []):
        df[name] = df[name].astype("float64")
    answers.append(str(df))
json.dump(answers, sys.stdout)
