"""Imports a DAG file under the stand-in `airflow` package (tests/fixtures/airflow_stub) and prints
its DAG as JSON: dag id, arguments, and each task with its command, environment, trigger rule and
upstream tasks, and the command as Airflow renders it (Jinja, with `ti.xcom_pull` answering
"xcom-of-TASK_ID" (a run id is a plain word)). Usage: PYTHONPATH=tests/fixtures/airflow_stub python3 airflow_inspect.py <dag file>"""
import importlib.util
import json
import sys

import airflow
import jinja2
import jinja2.sandbox

# BashOperator.template_ext: a command ending so is read as the path of a template file.
TEMPLATE_EXT = (".sh", ".bash")

spec = importlib.util.spec_from_file_location("kmlf_exported_dag", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
(dag,) = airflow.DAGS


class TaskInstance:
    def xcom_pull(self, task_ids):
        return f"xcom-of-{task_ids}"


def rendered(command):
    """bash_command as Airflow renders it before bash runs it (StrictUndefined, as a DAG's default)."""
    if command.endswith(TEMPLATE_EXT):
        raise SystemExit(f"jinja2.exceptions.TemplateNotFound: {command}")
    env = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(command).render(ti=TaskInstance())


def plain(value):
    return value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else repr(value)


print(json.dumps({
    "dag_id": dag.dag_id,
    "args": {k: plain(v) for k, v in dag.kwargs.items() if k != "default_args"},
    "tasks": [
        {
            "task_id": t.task_id,
            "bash_command": t.kwargs["bash_command"],
            "rendered_command": rendered(t.kwargs["bash_command"]),
            "cwd": t.kwargs.get("cwd"),
            "env": t.kwargs.get("env"),
            "append_env": t.kwargs.get("append_env", False),
            "do_xcom_push": t.kwargs.get("do_xcom_push", True),
            "trigger_rule": t.trigger_rule,
            "upstream": sorted(t.upstream),
        }
        for t in dag.tasks.values()
    ],
}))
