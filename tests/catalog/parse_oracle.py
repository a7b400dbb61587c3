"""What Kedro's dataset factories make of a pattern, for tests/catalog/pattern_formats_test.ts: Python's
`parse` (Debian's python3-parse, the version Kedro requires at least) matches the dataset name against the
pattern key, and the entry's strings are filled with `str.format(**result.named)`.

stdin: [{"pattern": p, "name": n, "templates": [t, ...]}, ...]. stdout: one answer each:
{"error": message} when parse refuses the pattern, null when the name does not match, else
{"named": {key: {"int": "12"} | {"str": "x"}}, "filled": [text | {"error": message}, ...]}.
"""
import json
import sys

import parse


def tagged(value):
    return {"int": str(value)} if isinstance(value, int) else {"str": value}


def answer(case):
    try:
        compiled = parse.compile(case["pattern"])
        compiled.parse("")  # parse builds its regex on first use: a bad one raises here
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}
    result = compiled.parse(case["name"])
    if result is None:
        return None
    filled = []
    for template in case.get("templates", []):
        try:
            filled.append(template.format(**result.named))
        except Exception as error:
            filled.append({"error": f"{type(error).__name__}: {error}"})
    return {"named": {k: tagged(v) for k, v in result.named.items()}, "filled": filled}


json.dump([answer(case) for case in json.load(sys.stdin)], sys.stdout)
