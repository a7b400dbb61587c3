/**
 * One `kmlf server` start timed to its first `/health` answer, as a command `bench/paired.ts` can time: it
 * spawns the command it is given (which must print `listening on <url>` on stdout), asks `<url>/health`
 * once, stops the server with SIGINT, waits for it to exit (so the store is closed as a user's Ctrl-C
 * leaves it) and prints the milliseconds from the spawn to the answer. It exits 1 when the server ends
 * before listening or `/health` does not answer 200.
 *
 *   deno run -A bench/first_health.ts <command to start the server…>
 *
 * Two bundles' start paths paired (bench/README.md, "The server's start path again"; the store is any
 * existing database, e.g. the 10,000 runs `server_bench.ts` seeds), the printed figure paired too:
 *
 *   deno run -A bench/paired.ts --runs=21 --figure="([\d.]+) ms to the first" -- \
 *     "deno run -A bench/first_health.ts deno run --cached-only --allow-all --v8-flags=… \
 *        --config /tmp/a/deno.json /tmp/a/cli.js server --backend-store-uri sqlite:////tmp/s.db --port 0" \
 *     "deno run -A bench/first_health.ts deno run … /tmp/b/cli.js server …"
 *
 * The harness's own Deno start is in both commands' wall time alike; read the paired difference. The
 * printed figure starts at the spawn, after the harness has spawned once and fetched once (a fresh
 * process's first spawn with a decoded pipe took 10–30 ms here, later ones ~2 ms), nearer to what
 * `server_bench.ts` measures from its long-lived process. It imports nothing.
 */
const [program, ...args] = Deno.args;
if (program === undefined) {
  console.error("usage: deno run -A bench/first_health.ts <command starting kmlf server…>");
  Deno.exit(2);
}
// The harness's own first spawn with a decoded pipe (10–30 ms in a fresh process, ~2 ms after) and first
// fetch (Deno's HTTP client) are done once before the clock starts.
const warmChild = new Deno.Command(Deno.execPath(), { args: ["--version"], stdout: "piped" }).spawn();
await warmChild.stdout.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream());
await warmChild.status;
const warm = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("ok"));
await (await fetch(`http://127.0.0.1:${warm.addr.port}/`)).body?.cancel();
await warm.shutdown();
const start = performance.now();
const child = new Deno.Command(program, {
  args,
  stdout: "piped",
  stderr: "null",
  env: { NO_COLOR: "1" },
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let seen = "";
let url: string | undefined;
while (url === undefined) {
  const { value, done } = await reader.read();
  if (done) {
    console.error(`the server exited before listening (${(await child.status).code})`);
    Deno.exit(1);
  }
  seen += value;
  url = seen.match(/listening on (http\S+)/)?.[1];
}
const res = await fetch(new URL("health", url.endsWith("/") ? url : `${url}/`));
await res.body?.cancel();
const ms = performance.now() - start;
child.kill("SIGINT");
// Drained to the end, so the server never blocks on a full pipe while it stops.
while (!(await reader.read()).done) { /* drain */ }
await child.status;
console.log(`${ms.toFixed(1)} ms to the first /health (${res.status})`);
Deno.exit(res.status === 200 ? 0 : 1);
