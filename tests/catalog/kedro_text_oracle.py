"""What Kedro's text datasets write, for tests/catalog/kedro_text_files_diff_test.ts (python3's json and
Debian's python3-yaml, test prerequisites): kedro-datasets' JSONDataset saves with
`json.dump(data, f, **{"indent": 2, **save_args})`, its YAMLDataset with
`yaml.dump(data, f, **{"default_flow_style": False, **save_args})`; MLflow's log_dict writes a .json
artifact with `json.dump(d, f, indent=2)`.

stdin: {"json": [{"value": v, "args": {...}}, ...], "yaml": [...], "yaml_resave": [{"text": t, "args": {...}}],
"json_resave": [...]}. stdout: {"json": [text, ...], "yaml": [...], "yaml_resave": [...], "json_resave": [...]};
"yaml_resave" is what YAMLDataset saves of what it loaded from the YAML text (`yaml.safe_load`, then the dump
above), for values JSON cannot carry (dates, datetimes, int keys, key order); "json_resave" the same for
JSONDataset (`json.load`, then the dump above: key order).
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
    "yaml_resave": [kedro_yaml(yaml.safe_load(r["text"]), r["args"]) for r in request.get("yaml_resave", [])],
    "json_resave": [kedro_json(json.loads(r["text"]), r["args"]) for r in request.get("json_resave", [])],
}, sys.stdout)
