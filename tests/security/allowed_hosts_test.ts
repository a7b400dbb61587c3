/**
 * DNS-rebinding protection and its opt-out: a loopback `kmlf server` answers only loopback `Host` names,
 * `MLFLOW_SERVER_ALLOWED_HOSTS` (MLflow 3.5's setting) adds names or `*` patterns a reverse proxy forwards,
 * `*` lifts the check, and on an exposed address the setting restricts the server to those names.
 */
import assert from "node:assert/strict";
import { spawnKmlf } from "../cli_harness.ts";
import { allowedHostsFor, hostAllowed } from "../../lib/allowed_hosts.ts";

Deno.test("allowedHostsFor and hostAllowed: loopback names, added names and patterns, * for any", () => {
  assert.deepEqual(allowedHostsFor("127.0.0.1"), ["localhost", "127.0.0.1", "::1"]);
  assert.deepEqual(allowedHostsFor("::1"), ["localhost", "127.0.0.1", "::1"]);
  assert.equal(allowedHostsFor("0.0.0.0"), undefined, "exposed without a setting: any name, as MLflow 2.17");
  assert.equal(allowedHostsFor("127.0.0.1", " * "), undefined);
  assert.deepEqual(allowedHostsFor("0.0.0.0", "mlflow.internal:5000"), [
    "localhost",
    "127.0.0.1",
    "::1",
    "mlflow.internal",
  ]);
  const allowed = allowedHostsFor("127.0.0.1", "mlflow.internal:5000, *.company.com,192.168.*")!;
  for (
    const host of [
      "localhost:5000",
      "[::1]:5000",
      "::1",
      "MLflow.Internal",
      "a.company.com:80",
      "192.168.1.9",
    ]
  ) {
    assert.ok(hostAllowed(allowed, host), host);
  }
  for (const host of ["evil.example", "company.com.evil.example", "x.company.comm", "10.0.0.1", "", "::2"]) {
    assert.ok(!hostAllowed(allowed, host), host);
  }
  assert.ok(!hostAllowed(allowed, null), "no Host header at all");
});

/** A raw HTTP/1.1 request with exactly this Host header (fetch may not set it). */
async function statusFor(url: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    const request = `GET /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1\r\nHost: ${host}\r\n` +
      "Connection: close\r\n\r\n";
    await conn.write(new TextEncoder().encode(request));
    const text = await new Response(conn.readable).text();
    return { status: Number(text.split(" ")[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
  } catch (error) {
    conn.close();
    throw error;
  }
}

// `kmlf server` on a free loopback port, with `env`; its URL once it listens.
async function serve(dir: string, env: Record<string, string>) {
  const server = spawnKmlf(["server", "--backend-store-uri", "sqlite:///r.db", "--port", "0"], {
    cwd: dir,
    watch: "stdout",
    env,
  });
  const seen = await server.waitFor(/listening on http\S+\s/);
  const url = seen.match(/listening on (http\S+)/)?.[1];
  if (!url) throw new Error(`kmlf exited before listening:\n${seen}`);
  return {
    url,
    async stop() {
      server.child.kill("SIGINT");
      await server.finish();
    },
  };
}

Deno.test("kmlf server on loopback answers the names MLFLOW_SERVER_ALLOWED_HOSTS adds, and says how", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-allowed-hosts-" });
  try {
    const strict = await serve(dir, { MLFLOW_SERVER_ALLOWED_HOSTS: "" });
    try {
      assert.equal((await statusFor(strict.url, "localhost")).status, 200);
      const refused = await statusFor(strict.url, "mlflow.internal");
      assert.equal(refused.status, 403);
      assert.match(refused.body, /set MLFLOW_SERVER_ALLOWED_HOSTS to it, or to \* for any/);
    } finally {
      await strict.stop();
    }
    const proxied = await serve(dir, { MLFLOW_SERVER_ALLOWED_HOSTS: "mlflow.internal" });
    try {
      assert.equal((await statusFor(proxied.url, "mlflow.internal:443")).status, 200);
      assert.equal((await statusFor(proxied.url, "127.0.0.1")).status, 200, "loopback names stay");
      assert.equal((await statusFor(proxied.url, "evil.example")).status, 403);
    } finally {
      await proxied.stop();
    }
    const open = await serve(dir, { MLFLOW_SERVER_ALLOWED_HOSTS: "*" });
    try {
      assert.equal((await statusFor(open.url, "evil.example")).status, 200);
    } finally {
      await open.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
