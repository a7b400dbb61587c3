/**
 * Scale and limits: saving many files into one folder (a partitioned dataset's partitions), loading a
 * CSV of 1,000,000 rows, and uploading a 300 MB artifact to a `kmlf server` through the REST client (and
 * downloading it back).
 * Each printed against a target; the figures of this round's fixes are in bench/README.md.
 */
import { join } from "node:path";
import { atomicWrite, CsvDataset } from "../lib/catalog/mod.ts";
import { MlflowClient } from "../lib/tracking/mod.ts";
import { report } from "./bench_utils.ts";

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const dir = await Deno.makeTempDir({ prefix: "kmlf-bench-scale-" });
try {
  // 10,000 files in one folder: linear since atomic saves stopped listing the folder per file.
  const parts = join(dir, "parts");
  report(
    "atomicWrite × 10,000 files into one folder",
    await timed(async () => {
      for (let i = 0; i < 10_000; i++) await atomicWrite(join(parts, `p${i}.txt`), String(i));
    }),
    "ms",
    5000,
  );

  const csv = join(dir, "big.csv");
  const lines = ["a,b,c,d"];
  for (let i = 0; i < 1_000_000; i++) lines.push(`${i},${i * 0.5},name${i % 100},${i % 7 === 0}`);
  await Deno.writeTextFile(csv, lines.join("\n") + "\n");
  lines.length = 0;
  report(
    "CsvDataset.load of 1,000,000 rows (28 MB)",
    await timed(() => new CsvDataset({ filepath: csv }).load()),
    "ms",
    5000,
  );

  // A 300 MB (sparse) artifact to a kmlf server: the REST client streams it (fetch).
  const big = join(dir, "big.bin");
  await Deno.writeFile(big, new Uint8Array(0));
  await Deno.truncate(big, 300 * 2 ** 20);
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../cli.ts", import.meta.url).pathname, "server", "--port", "0"],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (http\S+)/.test(seen)) seen += (await reader.read()).value ?? "";
  const url = seen.match(/listening on (http\S+)/)![1];
  try {
    const client = await MlflowClient.open(url, { baseDir: dir });
    const run = await client.createRun("0");
    report(
      "logArtifact of 300 MB to a kmlf server (REST, fetch)",
      await timed(() => client.logArtifact(run.info.runId, big)),
      "ms",
      5000,
    );
    report(
      "downloadArtifacts of the same 300 MB back (REST, fetch)",
      await timed(() => client.downloadArtifacts(run.info.runId, "big.bin", join(dir, "down"))),
      "ms",
      5000,
    );
    await client.close();
  } finally {
    server.kill("SIGINT");
    await server.status;
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
