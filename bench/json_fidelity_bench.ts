/**
 * What keeping json.load's view of a file costs a JSON load: JsonDataset.load() (JSON.parse plus the
 * recording of key order and integral floats, lib/catalog/datasets/_json_source_keys.ts) against
 * decoding the bytes and JSON.parse alone, on generated ~13 MB files. Each measurement runs in a fresh process (GNU time gives its
 * peak RSS); the load time is taken inside it, after the file is read. Prints figures, asserts nothing.
 *
 * Run: `deno run -A bench/json_fidelity_bench.ts [--runs=7]`
 */
import { cpuUsage } from "node:process";
import { median, timeCommand } from "./bench_utils.ts";

const CASES = {
  floats: "rows with integral floats (1.0, 2e3) in every row",
  plain: "rows without floats",
  indexKeys: "rows keyed by integer-like keys",
} as const;
type Case = keyof typeof CASES;

/** A ~13 MB JSON text for each case. */
function generate(kind: Case): string {
  const rows: string[] = [];
  for (let i = 0; rows.length < 150_000; i++) {
    if (kind === "floats") {
      rows.push(
        `{"id": ${i}, "lr": 1.0, "epochs": ${i % 50}.0, "score": 0.${i % 997}, "n": 2e3, "tag": "run-${i}"}`,
      );
    } else if (kind === "plain") {
      rows.push(
        `{"id": ${i}, "lr": 1, "epochs": ${i % 50}, "score": 0.${
          (i % 997) + 1
        }, "n": 2000, "tag": "run-${i}"}`,
      );
    } else {
      rows.push(`{"${i % 7}": ${i}, "10": "x${i}", "2": ${i % 50}, "name": "run-${i}", "1": [${i}, 3]}`);
    }
  }
  return kind === "indexKeys"
    ? `{${rows.map((row, i) => `"${i}": ${row}`).join(",\n")}}`
    : `[${rows.join(",\n")}]`;
}

/** Child mode: one load of `file` by `how`, its time in ms printed on stdout. */
async function child(how: string, file: string): Promise<void> {
  if (how === "parse") {
    const bytes = await Deno.readFile(file);
    const cpu = cpuUsage();
    const start = performance.now();
    const value = JSON.parse(new TextDecoder().decode(bytes)); // the dataset decodes the bytes too
    const ms = performance.now() - start;
    console.log(ms.toFixed(1), cpuMs(cpu).toFixed(1), typeof value);
    return;
  }
  const { JsonDataset } = await import("../lib/catalog/datasets/json_dataset.ts");
  const ds = new JsonDataset({ filepath: file });
  const cpu = cpuUsage();
  const start = performance.now();
  const value = await ds.load(); // includes the file read: measured alone below
  const ms = performance.now() - start;
  const loadCpu = cpuMs(cpu);
  const readCpu = cpuUsage();
  const readStart = performance.now();
  await Deno.readFile(file);
  const readMs = performance.now() - readStart;
  console.log((ms - readMs).toFixed(1), (loadCpu - cpuMs(readCpu)).toFixed(1), typeof value);
}

// CPU time (user + system, all threads: the garbage collector's too) since `since`, in ms.
function cpuMs(since: { user: number; system: number }): number {
  const { user, system } = cpuUsage(since);
  return (user + system) / 1000;
}

async function main(): Promise<void> {
  const runs = Number(Deno.args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);
  const dir = await Deno.makeTempDir({ prefix: "kmlf-json-bench-" });
  const self = new URL(import.meta.url).pathname;
  console.log(`json fidelity bench: ${runs} runs each, fresh process per run`);
  console.log(
    "case        | parse ms | load ms | ratio | parse CPU ms | load CPU ms | CPU ratio | parse RSS MB | load RSS MB",
  );
  try {
    for (const kind of Object.keys(CASES) as Case[]) {
      const file = `${dir}/${kind}.json`;
      const text = generate(kind);
      await Deno.writeTextFile(file, text);
      const figures: Record<string, { ms: number[]; cpu: number[]; rss: number[] }> = {};
      for (let r = 0; r < runs; r++) {
        for (const how of ["parse", "load"]) { // alternated, so both see the same neighbours
          const out = await new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", self, "--child", how, file],
            stdout: "piped",
          }).output();
          const [ms, cpu] = new TextDecoder().decode(out.stdout).split(" ").map(Number);
          const timed = await timeCommand([Deno.execPath(), "run", "-A", self, "--child", how, file]);
          (figures[how] ??= { ms: [], cpu: [], rss: [] }).ms.push(ms);
          figures[how].cpu.push(cpu);
          figures[how].rss.push(timed.rssMb ?? NaN);
        }
      }
      const p = median(figures.parse.ms), l = median(figures.load.ms);
      const pc = median(figures.parse.cpu), lc = median(figures.load.cpu);
      console.log(
        `${kind.padEnd(11)} | ${p.toFixed(0).padStart(8)} | ${l.toFixed(0).padStart(7)} | ${
          (l / p).toFixed(2).padStart(5)
        } | ${pc.toFixed(0).padStart(12)} | ${lc.toFixed(0).padStart(11)} | ${
          (lc / pc).toFixed(2).padStart(9)
        } | ${median(figures.parse.rss).toFixed(0).padStart(12)} | ${
          median(figures.load.rss).toFixed(0).padStart(11)
        }   (${(text.length / 1e6).toFixed(1)} MB: ${CASES[kind]})`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "--child") await child(Deno.args[1], Deno.args[2]);
else await main();
