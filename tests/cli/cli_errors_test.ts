/**
 * Bad input at the CLI gets an error that names the file, dataset or store and a hint that fits the
 * cause, printed once, without kmlf's own stack frames (only with --debug) and without ANSI codes on a
 * stderr that is not a terminal: folders as dataset paths, permission and disk errors (a real full
 * device, a real file-size limit), values JSON/YAML cannot hold, non-Error throws, a closed stdout, a
 * store that is not SQLite, non-UTF-8 configuration, malformed catalog types, and MLFLOW_RUN_ID naming
 * no run. Deterministic messages are golden files (tests/golden/errors/cli-*.txt).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { statIfAny } from "../../lib/fs_utils.ts";
import {
  assertGolden,
  CLI_PATH,
  demoProject,
  kmlf,
  normalize,
  REPO,
  UNTRACKED_CATALOG,
} from "../cli_harness.ts";

/** A one-node pipeline `x` whose node is `body` and whose output `out` is `catalog`'s entry. */
function oneNode(body: string, outEntry: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "pipelines/x.yml": "nodes:\n  - name: make\n    func: ./x.ts#make\n    inputs: []\n    outputs: out\n",
    "pipelines/x.ts": `export function make() {\n  ${body}\n}\n`,
    "conf/base/catalog.yml": `out:\n${outEntry}`,
    ...extra,
  };
}

/** Every line of an error report appears once (no message or hint printed twice), and no ANSI code. */
function assertTidy(stderr: string): void {
  assert.ok(!stderr.includes("\x1b["), "no ANSI codes on a stderr that is not a terminal");
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const seen = new Set<string>();
  for (const line of lines) {
    assert.ok(!seen.has(line), `printed twice: ${line}\n${stderr}`);
    seen.add(line);
  }
  assert.doesNotMatch(stderr, /lib\/(catalog|runner|session|cli)\/|error\[internal\]/, stderr);
}

interface Case {
  files: Record<string, string | null>;
  args?: string[];
  setup?: (dir: string) => Promise<void>;
  code: number;
  golden?: boolean;
  expect?: RegExp[];
}

const JSON_OUT = "  type: json\n  filepath: data/out.json\n";
const YAML_OUT = "  type: yaml\n  filepath: data/out.yml\n";

const CASES: Record<string, Case> = {
  "folder-as-save-path": {
    files: oneNode("return { a: 1 };", "  type: json\n  filepath: data/reports\n"),
    setup: (dir) => Deno.mkdir(join(dir, "data/reports"), { recursive: true }),
    code: 1,
    golden: true,
  },
  "folder-as-load-path": {
    files: {
      ...oneNode("return 1;", JSON_OUT),
      "pipelines/x.ts": "export function make(_src: unknown) {\n  return 1;\n}\n",
      "pipelines/x.yml": "nodes:\n  - name: make\n    func: ./x.ts#make\n    inputs: src\n    outputs: out\n",
      "conf/base/catalog.yml": `src:\n  type: csv\n  filepath: data/raw\nout:\n${JSON_OUT}`,
    },
    setup: (dir) => Deno.mkdir(join(dir, "data/raw"), { recursive: true }),
    code: 1,
    golden: true,
  },
  "json-bigint": { files: oneNode("return { counts: [1, 2n] };", JSON_OUT), code: 1, golden: true },
  "json-cycle": {
    files: oneNode(
      "const a: Record<string, unknown> = { b: {} }; (a.b as Record<string, unknown>).up = a; return a;",
      JSON_OUT,
    ),
    code: 1,
    golden: true,
  },
  "yaml-bigint": { files: oneNode("return { n: 10n };", YAML_OUT), code: 1, golden: true },
  "yaml-cycle": {
    files: oneNode("const l: unknown[] = [1]; l.push(l); return l;", YAML_OUT),
    code: 1,
    golden: true,
  },
  "node-throws-string": { files: oneNode('throw "x";', JSON_OUT), code: 1, golden: true },
  "node-throws-object": { files: oneNode("throw { code: 42 };", JSON_OUT), code: 1, golden: true },
  "node-throws-undefined": { files: oneNode("throw undefined;", JSON_OUT), code: 1, golden: true },
  "catalog-type-list": {
    files: oneNode("return 1;", "  type: [csv]\n  filepath: data/out.csv\n"),
    code: 2,
    golden: true,
  },
  "catalog-type-mapping": {
    files: oneNode("return 1;", "  type: {name: csv}\n  filepath: data/out.csv\n"),
    code: 2,
    golden: true,
  },
  "catalog-type-number": {
    files: oneNode("return 1;", "  type: 3\n  filepath: data/out.csv\n"),
    code: 2,
    golden: true,
  },
  "latin1-parameters": {
    files: oneNode("return 1;", JSON_OUT),
    setup: (dir) =>
      Deno.writeFile(
        join(dir, "conf/base/parameters.yml"),
        new Uint8Array([...new TextEncoder().encode("city: M"), 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, 0x0a]),
      ),
    code: 2,
    golden: true,
  },
  "utf16-catalog": {
    files: oneNode("return 1;", JSON_OUT),
    setup: (dir) =>
      Deno.writeFile(
        join(dir, "conf/base/catalog.yml"),
        new Uint8Array([0xff, 0xfe, 0x6f, 0x00, 0x75, 0x00]),
      ),
    code: 2,
    golden: true,
  },
  "latin1-pipeline": {
    files: oneNode("return 1;", JSON_OUT),
    setup: (dir) =>
      Deno.writeFile(
        join(dir, "pipelines/x.yml"),
        new Uint8Array([
          ...new TextEncoder().encode("# r"),
          0xe9,
          ...new TextEncoder().encode("sum\nnodes: []\n"),
        ]),
      ),
    code: 2,
    golden: true,
  },
  "deep-json-parameters": {
    files: {
      ...oneNode("return 1;", JSON_OUT),
      "conf/base/parameters.json": `{"a": ${"[".repeat(4000)}${"]".repeat(4000)}}`,
    },
    code: 2,
    golden: true,
  },
  "version-not-found-once": {
    files: {
      "conf/base/catalog.yml": UNTRACKED_CATALOG.replace(
        "filepath: data/06_models/model.pkl",
        "filepath: data/06_models/model.pkl\n  versioned: true",
      ),
    },
    setup: async (dir) => {
      const path = join(dir, "data/06_models/model.pkl/2024-01-01T00.00.00.000Z");
      await Deno.mkdir(path, { recursive: true });
      await Deno.writeFile(join(path, "model.pkl"), new Uint8Array([1]));
    },
    args: ["run", "inference", "--load-versions", "model:2020-01-01T00.00.00.000Z"],
    code: 2,
    golden: true,
  },
  "unknown-mlflow-run-id": {
    files: {},
    args: ["run", "training"],
    setup: async (dir) => {
      const yml = await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"));
      await Deno.writeTextFile(
        join(dir, "conf/base/mlflow.yml"),
        yml.replace("nested: true", "nested: false"),
      );
    },
    code: 2,
    expect: [/MLFLOW_RUN_ID=0123456789abcdef0123456789abcdef names no run/, /hint: unset MLFLOW_RUN_ID/],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`CLI error "${name}": names the thing, fits the cause, printed once`, async () => {
    const tracked = name === "unknown-mlflow-run-id";
    const dir = await demoProject(c.files, { tracked });
    try {
      await c.setup?.(dir);
      const args = c.args ?? ["run", "x"];
      const r = await kmlf(args, {
        cwd: dir,
        env: tracked ? { MLFLOW_RUN_ID: "0123456789abcdef0123456789abcdef" } : {},
      });
      assert.equal(r.code, c.code, r.stderr);
      assertTidy(r.stderr);
      for (const e of c.expect ?? []) assert.match(r.stderr, e);
      if (tracked) assert.doesNotMatch(r.stderr, /disable the plugin/);
      if (c.golden) {
        await assertGolden(
          `errors/cli-${name}`,
          `$ kmlf ${args.join(" ")}\nexit ${r.code}\n${normalize(r.stderr, dir)}`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a generator or an unawaited promise returned by a node leaves the good output as it was", async () => {
  const cases: [string, string][] = [
    ["return (function* () { yield 1; })();", "outputs: out"],
    ["return [Promise.resolve(1)];", "outputs: [out]"],
  ];
  for (const [body, outputs] of cases) {
    const dir = await demoProject(
      oneNode(body, JSON_OUT, {
        "pipelines/x.yml": `nodes:\n  - {name: make, func: ./x.ts#make, ${outputs}}\n`,
      }),
    );
    try {
      await Deno.mkdir(join(dir, "data"), { recursive: true });
      await Deno.writeTextFile(join(dir, "data/out.json"), '{"good": 1}');
      const r = await kmlf(["run", "x"], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assertTidy(r.stderr);
      assert.match(
        r.stderr,
        /error\[node\/bad-outputs\]: Node "make" returned (a generator|an unawaited promise)/,
      );
      assert.equal(await Deno.readTextFile(join(dir, "data/out.json")), '{"good": 1}');
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("a full device (a real /dev/full-like node), /sys (permission or read-only) and a file-size limit: disk hints", async () => {
  const dir = await demoProject(
    oneNode('return "0123456789".repeat(20000);', "  type: text\n  filepath: data/full\n"),
  );
  try {
    await Deno.mkdir(join(dir, "data"), { recursive: true });
    const mknod = await new Deno.Command("mknod", {
      args: ["-m", "666", join(dir, "data/full"), "c", "1", "7"],
    }).output()
      .catch(() => undefined);
    if (mknod?.success) {
      const r = await kmlf(["run", "x"], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assertTidy(r.stderr);
      assert.match(
        r.stderr,
        /error\[dataset\/no-space\]: Cannot save dataset "out" \(TextDataset\) at data\/full: no space left/,
      );
      assert.match(r.stderr, /hint: free disk space where data\/full is written/);
      assert.ok(
        (await Deno.lstat(join(dir, "data/full"))).isCharDevice,
        "the device is written in place, not replaced",
      );
    }
    const catalog = join(dir, "conf/base/catalog.yml");
    await Deno.writeTextFile(catalog, "out:\n  type: text\n  filepath: /sys/kmlf-test/out.txt\n");
    const sys = await kmlf(["run", "x"], { cwd: dir });
    assert.equal(sys.code, 1, sys.stderr);
    assertTidy(sys.stderr);
    assert.match(
      sys.stderr,
      /error\[dataset\/(permission-denied|read-only)\]: Cannot save dataset "out" \(TextDataset\) at \/sys\/kmlf-test\/out\.txt/,
    );
    await Deno.writeTextFile(catalog, "out:\n  type: text\n  filepath: data/big.txt\n");
    const limited = await new Deno.Command("bash", {
      args: [
        "-c",
        `ulimit -f 64; trap '' XFSZ; exec "$0" run --allow-all --quiet "$1" run x`,
        Deno.execPath(),
        CLI_PATH,
      ],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stderr: "piped",
      stdout: "null",
    }).output();
    const stderr = new TextDecoder().decode(limited.stderr);
    assert.equal(limited.code, 1, stderr);
    assertTidy(stderr);
    assert.match(
      stderr,
      /error\[dataset\/file-too-large\]: Cannot save dataset "out" \(TextDataset\) at data\/big\.txt/,
    );
    assert.deepEqual([...Deno.readDirSync(join(dir, "data"))].filter((e) => e.name.endsWith(".tmp")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store file that is not SQLite: named, with a hint, for kmlf server and for a tracked run", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    await Deno.writeTextFile(join(dir, "notes.db"), "these are notes, not a database\n".repeat(10));
    const server = await kmlf(["server", "--backend-store-uri", join(dir, "notes.db"), "--port", "1"], {
      cwd: dir,
    });
    assert.equal(server.code, 2, server.stderr);
    assertTidy(server.stderr);
    assert.match(
      server.stderr,
      /error\[tracking\/not-a-database\]: Cannot open the SQLite tracking store .*notes\.db: it is not an SQLite database/,
    );
    const yml = join(dir, "conf/base/mlflow.yml");
    await Deno.writeTextFile(
      yml,
      (await Deno.readTextFile(yml)).replace("mlflow_tracking_uri: null", "mlflow_tracking_uri: notes.db"),
    );
    const run = await kmlf(["run", "training"], { cwd: dir });
    assert.notEqual(run.code, 0);
    assertTidy(run.stderr);
    assert.match(run.stderr, /notes\.db: it is not an SQLite database/);
    assert.match(run.stderr, /hint: point mlflow_tracking_uri/);
    assert.doesNotMatch(run.stderr, /disable the plugin/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a tracking URI of the wrong kind is a config error at mlflow.yml (or MLFLOW_TRACKING_URI), exit 2", async () => {
  const dir = await demoProject({}, { tracked: true });
  const yml = join(dir, "conf/base/mlflow.yml");
  const original = await Deno.readTextFile(yml);
  const runWith = async (uri: string, env: Record<string, string> = {}) => {
    await Deno.writeTextFile(
      yml,
      original.replace("mlflow_tracking_uri: null", `mlflow_tracking_uri: ${uri}`),
    );
    return await kmlf(["run", "training"], { cwd: dir, env });
  };
  try {
    await Deno.mkdir(join(dir, "store.db"));
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        "kmlf.yml",
        {},
        /error\[mlflow\/bad-tracking-uri\]: .*kmlf\.yml is a file, but a file store is a folder/,
      ],
      [
        "store.db",
        {},
        /error\[mlflow\/bad-tracking-uri\]: .*store\.db is a folder, but a SQLite store is one file/,
      ],
      [
        '"nope://x"',
        {},
        /error\[tracking\/unsupported-uri\]: .*\(tracking URI from mlflow\.yml server\.mlflow_tracking_uri\)/,
      ],
    ];
    for (const [uri, env, message] of cases) {
      const r = await runWith(uri, env);
      assert.equal(r.code, 2, r.stderr);
      assertTidy(r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /at conf\/base\/mlflow\.yml:\d+:\d+ \(server\.mlflow_tracking_uri\)/);
      assert.doesNotMatch(r.stderr, /MLflow run [0-9a-f]{32} started|os error/);
    }
    const fromEnv = await runWith("null", { MLFLOW_TRACKING_URI: "nope://y" });
    assert.equal(fromEnv.code, 2, fromEnv.stderr);
    assert.match(
      fromEnv.stderr,
      /\(tracking URI from the MLFLOW_TRACKING_URI variable\)\n {2}at MLFLOW_TRACKING_URI/,
    );
    assert.ok(statIfAny(join(dir, "kmlf.yml"))?.isFile, "kmlf.yml is left alone");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a closed stdout (`kmlf … | true`) ends output quietly with exit 0", async () => {
  for (const args of [["catalog", "list"], ["completion", "bash"], ["registry", "list"]]) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--quiet", CLI_PATH, ...args],
      cwd: REPO,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await child.stdout.cancel(); // the reader is gone before kmlf writes
    const out = await child.output().catch(async () => ({
      code: (await child.status).code,
      stderr: new Uint8Array(),
    }));
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `${args.join(" ")}: ${stderr}`);
    assert.equal(stderr, "", args.join(" "));
  }
});

Deno.test("a stderr that is not a terminal gets no ANSI codes even when stdout is one", async () => {
  const script = await new Deno.Command("script", { args: ["--version"] }).output().catch(() => undefined);
  if (!script?.success) return; // util-linux's `script` gives the child a terminal; without it, nothing to check
  const dir = await demoProject(oneNode("throw new Error('boom');", JSON_OUT));
  try {
    const errFile = join(dir, "stderr.txt");
    const command = `"${Deno.execPath()}" run --allow-all --quiet "${CLI_PATH}" run x 2>"${errFile}"`;
    await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      cwd: dir,
      stdout: "piped",
      env: { TERM: "xterm" },
    })
      .output();
    const stderr = await Deno.readTextFile(errFile);
    assert.match(stderr, /error\[node\/failed\]/);
    assert.ok(!stderr.includes("\x1b["), stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a node error stays visible next to a tracking store that could not end the run (exit 1)", async () => {
  const yml = (await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"))).replace(
    "mlflow_tracking_uri: null",
    "mlflow_tracking_uri: mlruns",
  );
  // The node removes the store's experiment folders (the run with them), then fails.
  const dir = await demoProject({
    "conf/base/mlflow.yml": yml,
    "pipelines/x.yml": "nodes:\n  - name: make\n    func: ./x.ts#make\n    inputs: []\n    outputs: out\n",
    "pipelines/x.ts": `export function make() {
  for (const e of Deno.readDirSync("mlruns")) if (/^\\d{6,}$/.test(e.name)) Deno.removeSync("mlruns/" + e.name, { recursive: true });
  throw new Error("the node's own failure");
}
`,
    "conf/base/catalog.yml": `out:\n${JSON_OUT}`,
  }, { tracked: true });
  try {
    const r = await kmlf(["run", "x"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assertTidy(r.stderr);
    assert.match(r.stderr, /error\[node\/failed\]: Node "make" .* the node's own failure/);
    assert.match(r.stderr, /MLflow run [0-9a-f]{32} could not be marked FAILED: it stays RUNNING/);
    assert.match(r.stderr, /The run failed, and so did ending it\./);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an error whose hint carries its cause's hint prints that hint once", () => {
  // As mlflow/model-not-registered: the store's fix, then how to register once it is fixed.
  const cause = new TrackingError("INVALID_PARAMETER_VALUE", "Invalid name: '..'", {
    hint: "use another name",
  });
  const error = new TrackingError("mlflow/model-not-registered", `registering failed: ${cause.message}`, {
    cause,
    hint: `${cause.hint}; once fixed, register it: kmlf models register`,
  });
  const text = renderError(error);
  assert.equal(text.match(/use another name/g)?.length, 1, text);
  assert.match(text, /\n {2}hint: use another name; once fixed, register it: kmlf models register$/);
  // A cause hint the outer one does not carry is still shown.
  const other = new TrackingError("x/y", `failed: ${cause.message}`, { cause, hint: "retry" });
  assert.match(renderError(other), /hint: use another name\n {2}hint: retry$/);
});
