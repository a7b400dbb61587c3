/**
 * `kmlf server` prints the store it serves without the database password (a server's output is kept in
 * shared logs, e.g. a pod's), as every tracking error does.
 */
import assert from "node:assert/strict";
import { CLI_PATH } from "../cli_harness.ts";
import { sharedPostgres } from "../services/postgres_server.ts";

Deno.test("kmlf server never prints the PostgreSQL password of its backend store", async () => {
  // The test server trusts loopback: any password logs in, so the URI can carry one.
  const uri = (await (await sharedPostgres()).createDatabase()).replace("//kmlf@", "//kmlf:s3cret-pw@");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CLI_PATH, "server", "--backend-store-uri", uri, "--port", "0"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    while (!output.includes("listening on")) {
      const { value, done } = await reader.read();
      if (done) break;
      output += value;
    }
    reader.releaseLock();
  } finally {
    child.kill("SIGTERM");
    const status = await child.output().catch(() => undefined);
    output += new TextDecoder().decode(status?.stderr ?? new Uint8Array());
  }
  assert.match(output, /kmlf tracking server for postgresql:\/\/kmlf:\*\*\*@127\.0\.0\.1:\d+\/\w+/);
  assert.ok(!output.includes("s3cret-pw"), output);
});
