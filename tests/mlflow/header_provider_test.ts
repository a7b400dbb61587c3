/** request_header_provider: construction, per-request headers, inContext, and each error. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { loadHeaderProvider, parseMlflowConfig } from "../../lib/mlflow/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";

const MODULE = `export class Token {
  constructor(kwargs, context) { this.kwargs = kwargs; this.context = context; this.n = 0; }
  requestHeaders() { return { Authorization: "Bearer " + this.kwargs.token, "X-N": ++this.n, "X-Env": this.context?.env ?? "-" }; }
}
export class Off { requestHeaders() { return { A: "b" }; } inContext() { return false; } }
export class Bad { requestHeaders() { return 42; } }
`;

async function providerFor(dir: string, type: string, passContext = false) {
  const yml =
    `server:\n  request_header_provider:\n    type: "${type}"\n    pass_context: ${passContext}\n    init_kwargs: {token: t0k}\n`;
  const src = parseYaml(yml, join(dir, "conf/base/mlflow.yml"));
  const config = parseMlflowConfig(
    { data: src.value as Record<string, unknown>, files: [src.file], locate: src.locate },
    { projectName: "p" },
  );
  return await loadHeaderProvider(config, { projectRoot: dir, env: "local" });
}

Deno.test("a header provider is built with init_kwargs (and the context) and asked before each request", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-headers-" });
  try {
    await Deno.writeTextFile(join(dir, "auth.js"), MODULE);
    const headers = (await providerFor(dir, "./auth.js#Token", true))!;
    assert.deepEqual(await headers(), { Authorization: "Bearer t0k", "X-N": "1", "X-Env": "local" });
    assert.equal((await headers())["X-N"], "2", "called anew for each request");
    assert.deepEqual(
      await (await providerFor(dir, "./auth.js#Off"))!(),
      {},
      "inContext() false → no headers",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a provider whose requestHeaders() is not a record fails naming mlflow.yml and the fix", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-headers-" });
  try {
    await Deno.writeTextFile(join(dir, "auth.js"), MODULE);
    const headers = (await providerFor(dir, "./auth.js#Bad"))!;
    const error = await headers().then(() => undefined, (e) => e);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, "mlflow/header-provider-result");
    assert.match(error.message, /requestHeaders\(\) returned 42/);
    assert.equal(error.source?.file, join(dir, "conf/base/mlflow.yml"));
    assert.equal(error.source?.line, 3);
    assert.match(error.hint ?? "", /Authorization/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kedro-mlflow's Python dotted provider path is refused at its line, with the TypeScript spelling", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-headers-" });
  try {
    await assert.rejects(() => providerFor(dir, "spaceflights.auth.MyProvider"), (e: unknown) => {
      const err = e as ConfigError;
      assert.equal(err.code, "mlflow/config-invalid");
      assert.equal(err.source?.keyPath, "server.request_header_provider.type");
      assert.equal(err.source?.line, 3);
      assert.match(err.message, /must name a TypeScript class as "\.\/src\/auth\.ts#TokenProvider"/);
      assert.match(err.message, /kedro-mlflow takes a Python path like my_package\.auth\.MyProvider/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
