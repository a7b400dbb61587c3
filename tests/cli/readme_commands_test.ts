/**
 * The README's shell walk-throughs, run line by line as printed, in a `kmlf new` project: every
 * `deno task kmlf …` line runs, and what its comment quotes is what kmlf prints — a quoted text (`…` stands for
 * any text), a `runs:/…` or `models:/…` URI, an `→ version N` move. `<run1>`-style placeholders take the run id
 * the first line that names them printed, and later lines use it. Servers (`models serve`, `mlflow ui`) start on
 * a free port instead of the printed one and stay up for the lines after them (the `curl` line scores the
 * model with exactly its headers and body).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf, REPO, spawnKmlf } from "../cli_harness.ts";

/** The lines of the first ```sh block after `heading`. */
async function readmeBlock(heading: string): Promise<string[]> {
  const readme = await Deno.readTextFile(join(REPO, "README.md"));
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README has the section "${heading}"`);
  const start = readme.indexOf("```sh\n", at) + "```sh\n".length;
  return readme.slice(start, readme.indexOf("\n```", start)).split("\n");
}

/** What a comment says kmlf prints: quoted texts, URIs and alias moves. */
function claims(comment: string): string[] {
  const quoted = /"(.*)"/.exec(comment)?.[1];
  const rest = quoted === undefined ? comment : comment.replace(/"(.*)"/, "");
  return [
    ...(quoted === undefined ? [] : [quoted]),
    ...(rest.match(/\b(?:runs|models):\/[^\s,)]+/g) ?? []),
    ...(rest.match(/→ version \d+(?: \(was version \d+\))?/g) ?? []),
  ];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Checks `claim` against `output`, binding its unbound `<placeholders>` to the run ids printed there. */
function check(claim: string, output: string, bound: Map<string, string>, line: string): void {
  const names: string[] = [];
  const pattern = claim.split(/(<\w+>|…)/).map((part) => {
    if (part === "…") return "[\\s\\S]*?";
    const name = /^<(\w+)>$/.exec(part)?.[1];
    if (name === undefined) return escape(part);
    if (bound.has(name)) return escape(bound.get(name)!);
    names.push(name);
    return "([0-9a-f]{32})";
  }).join("");
  const m = new RegExp(pattern).exec(output);
  assert.ok(m, `README line \`${line}\` says it prints "${claim}"; kmlf printed:\n${output}`);
  names.forEach((name, i) => bound.set(name, m[i + 1]));
}

/** A long-running kmlf command started on a free port: its first lines and its address. */
async function startServer(args: string[], cwd: string) {
  const portAt = args.indexOf("--port");
  const withPort = portAt >= 0 ? args.toSpliced(portAt, 2, "--port", "0") : [...args, "--port", "0"];
  const server = spawnKmlf(withPort, { cwd, watch: "stdout" });
  const seen = await server.waitFor(/listening on (http\S+)/);
  const base = seen.match(/listening on (http\S+)/)?.[1];
  if (!base) throw new Error(`kmlf ${args.join(" ")} stopped before listening:\n${seen}`);
  return {
    seen,
    base,
    async stop() {
      server.child.kill("SIGINT");
      await server.finish();
    },
  };
}

/** `curl -s URL -H 'K: V' --data-binary @FILE` as the README writes it, sent with fetch to `base`. */
async function curl(line: string, base: string, cwd: string): Promise<Response> {
  const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(1);
  let url = "";
  const headers = new Headers();
  let body: Uint8Array<ArrayBuffer> | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "-s") continue;
    if (w === "-H") {
      const [k, v] = words[++i].split(/:\s*/, 2);
      headers.set(k, v);
    } else if (w === "--data-binary") body = await Deno.readFile(join(cwd, words[++i].replace(/^@/, "")));
    else if (/^https?:\/\//.test(w)) url = w.replace(/^https?:\/\/[^/]+/, base);
    else throw new Error(`README's curl line uses ${w}, which this test does not read: ${line}`);
  }
  return await fetch(url, { method: body ? "POST" : "GET", headers, body });
}

async function walk(heading: string) {
  const dir = await demoProject({}, { tracked: true });
  const bound = new Map<string, string>();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    for (const raw of await readmeBlock(heading)) {
      const [command, comment = ""] = raw.split(/\s+#\s/, 2).map((s) => s.trim());
      const fill = (s: string) => s.replace(/<(\w+)>/g, (all, name) => bound.get(name) ?? all);
      if (command.startsWith("curl ")) {
        assert.ok(server, `README runs \`${command}\` with no server started before it`);
        const res = await curl(command, server.base, dir);
        const body = await res.json();
        assert.equal(res.status, 200, JSON.stringify(body));
        assert.ok(Array.isArray(body.predictions) && body.predictions.length > 0, JSON.stringify(body));
        continue;
      }
      assert.match(command, /^deno task kmlf /, `README line is a kmlf command: ${raw}`);
      const args = fill(command).replace(/^deno task kmlf /, "").split(/\s+/);
      const serves = args[0] === "models" && args[1] === "serve" || args[0] === "mlflow" && args[1] === "ui";
      let output: string;
      if (serves) {
        await server?.stop();
        server = await startServer(args, dir);
        output = server.seen;
        // The UI answers its page, the scoring server its health check.
        const res = await fetch(`${server.base}${args[0] === "models" ? "/ping" : "/"}`);
        await res.body?.cancel();
        assert.equal(res.status, 200, `${raw}: GET answered ${res.status}`);
      } else {
        const r = await kmlf(args, { cwd: dir });
        assert.equal(r.code, 0, `README line \`${raw}\` fails:\n${r.stderr}`);
        output = r.stdout + r.stderr;
      }
      for (const claim of claims(comment)) check(claim, output, bound, raw);
    }
  } finally {
    await server?.stop();
    await Deno.remove(dir, { recursive: true });
  }
  return bound;
}

Deno.test("README's train → register → alias → serve walk-through runs as printed and prints what it quotes", async () => {
  const bound = await walk("### Promoting a model: train → register → alias → serve");
  assert.deepEqual([...bound.keys()].sort(), ["run1", "run2"]);
  assert.notEqual(bound.get("run1"), bound.get("run2"));
});

Deno.test("README's pipeline-as-a-model commands (run, serve, curl, predict, ui) run as printed", async () => {
  const bound = await walk("## Pipeline as a model: train → serve (kedro-mlflow's `pipeline_ml_factory`)");
  assert.deepEqual([...bound.keys()], ["run_id"]);
});

Deno.test("README's export lines run as printed in the iris project once the catalog entries they give are added", async () => {
  const lines = await readmeBlock("## Scaling out: PostgreSQL, S3, Argo Workflows and Airflow");
  // The catalog entries the block's comment gives, one YAML flow entry per line (`"X_{split}": {…}`).
  const entries = lines.map((l) => /^#.*?("[^"]+": \{.*\})\s*$/.exec(l)?.[1]).filter((e) => e !== undefined);
  assert.ok(entries.length > 0, `the export lines' comment gives the catalog entries:\n${lines.join("\n")}`);
  const exports = lines.filter((l) => l.startsWith("kmlf export "));
  assert.deepEqual(exports.map((l) => l.split(" ")[2]), ["argo", "airflow"]);
  const dir = await demoProject({}, { tracked: true });
  try {
    const catalog = join(dir, "conf/base/catalog.yml");
    await Deno.writeTextFile(catalog, `${await Deno.readTextFile(catalog)}\n${entries.join("\n")}\n`);
    for (const line of exports) {
      const args = line.split(/\s+/).slice(1);
      const r = await kmlf(args, { cwd: dir });
      assert.equal(r.code, 0, `README line \`${line}\` fails:\n${r.stderr}`);
      const file = args[args.indexOf("-o") + 1];
      assert.match(await Deno.readTextFile(join(dir, file)), /report.accuracy/); // its last task
    }
    const run = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    for (const name of ["X_train", "y_train", "X_test", "y_test"]) {
      await Deno.stat(join(dir, `data/05_model_input/${name}.pkl`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
