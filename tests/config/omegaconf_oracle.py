"""Resolves config texts with real OmegaConf, as Kedro's OmegaConfigLoader does (OmegaConf.load, then
to_container(resolve=True)). Request on stdin: {"texts": [yaml, ...], "written": bool}; answer: one
{"ok": value} or {"err": message} per text. Floats that JSON cannot hold are tagged, {"$float": "inf"}.
With "written", the value is Python's json.dumps text of it (a float 1.0 written `1.0`, keys in order)."""
import json
import math
import sys
import warnings

from omegaconf import DictConfig, ListConfig, OmegaConf


def tag(value):
    if isinstance(value, (DictConfig, ListConfig)):  # a resolver's container inside a grammar dict
        value = OmegaConf.to_container(value, resolve=True)
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if isinstance(value, dict):
        return {str(k): tag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tag(v) for v in value]
    return value


def resolve(text, written):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = tag(OmegaConf.to_container(OmegaConf.create(text), resolve=True))
            return {"ok": json.dumps(value) if written else value}
    except Exception as error:  # every OmegaConf error is an answer
        return {"err": type(error).__name__ + ": " + str(error).splitlines()[0]}


request = json.load(sys.stdin)
print(json.dumps([resolve(text, request.get("written", False)) for text in request["texts"]]))
