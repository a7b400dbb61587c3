/** A run config file's `params` mapping is read as Kedro reads it: typed values, never split on commas. */
import assert from "node:assert/strict";
import { runtimeParamsFromMapping } from "../../lib/config/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("runtimeParamsFromMapping nests dotted keys and keeps values as YAML typed them", () => {
  assert.deepEqual(
    runtimeParamsFromMapping({
      "split.seed": 3,
      label: "a,b",
      flag: "true",
      sizes: [1, 2],
      model: { lr: 0.1 },
    }),
    { split: { seed: 3 }, label: "a,b", flag: "true", sizes: [1, 2], model: { lr: 0.1 } },
  );
  assert.deepEqual(runtimeParamsFromMapping({}), {});
});

Deno.test("kmlf run -c run.yml: params: {label: 'a,b', flag: 'true', sizes: [1, 2]} reach the node as written", async () => {
  const dir = await demoProject({
    "pipelines/echo.yml": "nodes:\n  - name: echo\n    func: ./echo.ts#echo\n" +
      "    inputs: [params:label, params:flag, params:sizes, params:split]\n    outputs: echoed\n",
    "pipelines/echo.ts":
      "export function echo(label: unknown, flag: unknown, sizes: unknown, split: unknown) {\n" +
      "  return { label, flag, sizes, seed: (split as { seed: unknown }).seed };\n}\n",
    "conf/local/catalog.yml": "echoed: {type: json, filepath: data/echoed.json}\n",
    "conf/local/parameters.yml": "label: x\nflag: false\nsizes: []\n",
    "run.yml": 'run:\n  pipeline: echo\n  params:\n    label: "a,b"\n    flag: "true"\n    sizes: [1, 2]\n' +
      "    split.seed: 9\n",
  });
  try {
    const res = await kmlf(["run", "-c", "run.yml", "--json"], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/data/echoed.json`)), {
      label: "a,b",
      flag: "true",
      sizes: [1, 2],
      seed: 9,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
