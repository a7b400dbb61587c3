"""What Kedro's text datasets write, for tests/catalog/kedro_text_files_diff_test.ts (python3's json and
Debian's python3-yaml, test prerequisites): kedro-datasets' JSONDataset saves with
`json.dump(data, f, **{"indent": 2, **save_args})`, its YAMLDataset with
`yaml.dump(data, f, **{"default_flow_style": False, **save_args})`; MLflow's log_dict writes a .json
artifact with `json.dump(d, f, indent=2)`.

stdin: {"json": [{"value": v, "args": {...}}, ...], "yaml": [...]}. stdout: {"json": [text, ...], "yaml": [...]}.
"""
import io
import json
import sys

import yaml


def kedro_json(value, args):
    f = io.StringIO()
    json.dump(value, f, **{"indent": 2, **args})
    return f.getvalue()


def kedro_yaml(value, args):
    f = io.StringIO()
    yaml.dump(value, f, **{"default_flow_style": False, **args})
    return f.getvalue()


request = json.load(sys.stdin)
json.dump({
    "json": [kedro_json(r["value"], r["args"]) for r in request.get("json", [])],
    "yaml": [kedro_yaml(r["value"], r["args"]) for r in request.get("yaml", [])],
}, sys.stdout)
