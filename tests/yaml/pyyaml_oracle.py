"""The YAML readers kmlf must agree with, for tests/yaml/pyyaml_oracle.ts: PyYAML's safe_load, and a
SafeLoader with OmegaConf 2.3's changes (omegaconf/_utils.py get_yaml_loader: its float resolver added,
timestamps removed, duplicate keys refused) — which Kedro's config loader reads conf files with.

stdin: {"load": [yaml text, ...], "dump": [json value, ...]}. stdout: {"load": [{"pyyaml": v,
"omegaconf": v}, ...], "dump": [text, ...]} where a read value is tagged ({"i": "12"}, {"f": "1.5"},
{"s": "x"}, ...) or {"error": message}. Each value of "dump" is written as MLflow's write_yaml writes meta.yaml
(`yaml.dump(value, default_flow_style=False, allow_unicode=True, sort_keys=True, Dumper=CSafeDumper)`,
libyaml's emitter); of "safe_dump" as MLflow writes an MLmodel (`yaml.safe_dump(value,
default_flow_style=False)`, PyYAML's own emitter); of "yaml_dump" as MLflow's log_dict writes a .yaml
artifact (`yaml.dump(value, indent=2, default_flow_style=False)`); of "unicode_dump" with PyYAML's own emitter and
`allow_unicode=True` (a YAMLDataset's `allow_unicode` save argument, kmlf's Argo export). Each text of "redump" is read with
safe_load and written again with `yaml.dump` (Kedro's CLI listings: what it prints for what it read).
"""
import base64
import datetime
import json
import re
import sys

import yaml


class OmegaConfLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            if key_node.tag != yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                continue
            if key_node.value in keys:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key_node.value}", key_node.start_mark)
            keys.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


OmegaConfLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        """^(?:
     [-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)
    |\\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*
    |[-+]?\\.(?:inf|Inf|INF)
    |\\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)
OmegaConfLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in OmegaConfLoader.yaml_implicit_resolvers.items()
}

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def tag(value):
    if value is None:
        return {"null": True}
    if isinstance(value, bool):
        return {"b": value}
    if isinstance(value, int):
        return {"i": str(value)}
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        return {"ts": (aware - EPOCH) // datetime.timedelta(milliseconds=1), "str": str(value)}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, bytes):
        return {"bin": base64.b64encode(value).decode()}
    if isinstance(value, list):
        return {"l": [tag(v) for v in value]}
    if isinstance(value, dict):
        return {"m": [[tag(k), tag(v)] for k, v in value.items()]}
    return {"other": repr(value)}


def read(text, loader):
    try:
        return tag(yaml.load(text, Loader=loader))
    except Exception as error:  # any refusal is a result to compare
        return {"error": f"{type(error).__name__}: {error}"}


request = json.load(sys.stdin)
json.dump({
    "load": [{"pyyaml": read(t, yaml.SafeLoader), "omegaconf": read(t, OmegaConfLoader)}
             for t in request.get("load", [])],
    "dump": [yaml.dump(v, default_flow_style=False, allow_unicode=True, sort_keys=True,
                       Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
             for v in request.get("dump", [])],
    "safe_dump": [yaml.safe_dump(v, default_flow_style=False) for v in request.get("safe_dump", [])],
    "yaml_dump": [yaml.dump(v, indent=2, default_flow_style=False) for v in request.get("yaml_dump", [])],
    "unicode_dump": [yaml.safe_dump(v, default_flow_style=False, allow_unicode=True)
                     for v in request.get("unicode_dump", [])],
    "redump": [yaml.dump(yaml.safe_load(t)) for t in request.get("redump", [])],
    "libyaml": yaml.__with_libyaml__,
}, sys.stdout)
