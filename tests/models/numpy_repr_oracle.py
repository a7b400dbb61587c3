"""repr() of numpy arrays and scalars for tests/models/numpy_repr_test.ts: [{values, dtype, kind}] as JSON on
stdin ("array", "scalar" — one typed value — or "zerodim" — np.array(value)), one text each on stdout."""
import json
import sys

import numpy as np

DTYPES = {"float64": np.float64, "float32": np.float32, "int64": np.int64, "int32": np.int32,
          "bool": np.bool_, "object": object, "str": None}
answers = []
for case in json.load(sys.stdin):
    values = [float("nan") if v is None and case["dtype"].startswith("float") else v for v in case["values"]]
    if case["kind"] == "zerodim":
        answers.append(repr(np.array(values[0])))
    elif case["kind"] == "scalar":
        answers.append(repr(np.array(values, DTYPES[case["dtype"]])[0]))
    else:
        answers.append(repr(np.array(values, DTYPES[case["dtype"]])))
json.dump(answers, sys.stdout)
