"""How MLflow spells and reads local file URIs: path_to_local_file_uri is pathlib's as_uri() of the absolute
path; local_file_uri_to_path reads the path part through urllib's unquote. Request: {"paths": [...],
"uris": [...]}; answer: {"as_uri": [...], "unquote": [...]}."""
import json
import os
import pathlib
import sys
import urllib.parse

request = json.load(sys.stdin)
json.dump(
    {
        "as_uri": [pathlib.Path(os.path.abspath(p)).as_uri() for p in request["paths"]],
        "unquote": [urllib.parse.unquote(u) for u in request["uris"]],
    },
    sys.stdout,
)
