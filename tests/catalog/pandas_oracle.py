"""The pandas oracle of the table differential tests: reads and writes files as Kedro's pandas datasets do.

Request (JSON on stdin): a list of operations, each
  {"op": "read", "format": "csv"|"excel", "path": ..., "kwargs": {...}}  -> the frame (or {sheet: frame})
  {"op": "write", "format": "csv"|"excel", "path": ..., "frame": {...}, "kwargs": {...}} -> null
A frame is {"columns": [...], "rows": [[cell, ...], ...]}; a cell is a JSON value, null for NaN/None/NaT,
{"$date": "2024-01-02T03:04:05.000Z"} for a timestamp, {"$float": "inf"} for infinities.
Answer (JSON on stdout): a list, one result per operation ({"error": "..."} when pandas raised).
"""
import datetime
import json
import math
import sys

import pandas as pd


def cell_out(v):
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        return v
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        return cell_out(v.item())
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, datetime.datetime):
        return {"$date": v.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (v.microsecond // 1000)}
    if isinstance(v, datetime.date):
        return {"$date": v.isoformat() + "T00:00:00.000Z"}
    if isinstance(v, datetime.time):
        return {"$time": v.isoformat()}
    return v


def cell_in(v):
    if isinstance(v, dict) and "$date" in v:
        return pd.Timestamp(v["$date"]).tz_localize(None).to_pydatetime()
    if isinstance(v, dict) and "$float" in v:
        return float(v["$float"])
    return v


def frame_out(df):
    return {
        "columns": [cell_out(c) for c in df.columns],
        "rows": [[cell_out(v) for v in row] for row in df.astype(object).itertuples(index=False, name=None)],
    }


def frame_in(frame):
    return pd.DataFrame([[cell_in(v) for v in row] for row in frame["rows"]], columns=frame["columns"])


def run(op):
    fmt, path, kwargs = op["format"], op["path"], op.get("kwargs", {})
    if op["op"] == "read":
        df = pd.read_csv(path, **kwargs) if fmt == "csv" else pd.read_excel(path, **kwargs)
        if isinstance(df, dict):
            return {"sheets": {str(k): frame_out(v) for k, v in df.items()}, "order": [str(k) for k in df]}
        return frame_out(df)
    if "sheets" in op:
        with pd.ExcelWriter(path) as writer:
            for name, frame in op["sheets"].items():
                frame_in(frame).to_excel(writer, sheet_name=name, **kwargs)
        return None
    df = frame_in(op["frame"])
    if fmt == "csv":
        df.to_csv(path, **kwargs)
    else:
        df.to_excel(path, **kwargs)
    return None


def main():
    answers = []
    for op in json.load(sys.stdin):
        try:
            answers.append(run(op))
        except Exception as error:  # the test compares refusals too
            answers.append({"error": f"{type(error).__name__}: {error}"})
    json.dump(answers, sys.stdout)


main()
