/**
 * The origin patterns of lib/cross_origin.ts as MLflow 3.5 reads its own: `http://localhost:*` stands for
 * MLflow's `^http://localhost(:[0-9]+)?$`, so a page served on the default port (no port in its `Origin`)
 * is a localhost page too; a pattern's `:*` is a port, never more of the host name.
 */
import assert from "node:assert/strict";
import { corsOriginsFrom, withOriginPolicy } from "../../lib/cross_origin.ts";

const served = withOriginPolicy(() => Promise.resolve(new Response("served")));

async function post(origin: string, allowed?: readonly string[]): Promise<number> {
  const policy = allowed ? withOriginPolicy(() => Promise.resolve(new Response("served")), allowed) : served;
  const response = await policy(
    new Request("http://127.0.0.1:5001/invocations", {
      method: "POST",
      headers: { origin, host: "127.0.0.1:5001" },
      body: "x",
    }),
  );
  await response.body?.cancel();
  return response.status;
}

Deno.test("localhost pages on the default port (no port in Origin) are localhost pages, as in MLflow", async () => {
  for (const origin of ["http://localhost", "http://127.0.0.1", "http://[::1]", "HTTP://LOCALHOST"]) {
    assert.equal(await post(origin), 200, origin);
  }
  for (const origin of ["http://localhost:3000", "http://[::1]:8080"]) assert.equal(await post(origin), 200);
});

Deno.test("a pattern's :* matches a port or none, never a longer host name or another scheme", async () => {
  for (
    const origin of [
      "http://localhost.evil.example",
      "http://localhost:3000.evil.example",
      "http://127.0.0.1.nip.io",
      "https://localhost",
      "http://localhostx",
    ]
  ) assert.equal(await post(origin), 403, origin);
  const allowed = corsOriginsFrom("https://app.corp.example:*, https://*.intra.example");
  assert.equal(await post("https://app.corp.example", allowed), 200);
  assert.equal(await post("https://app.corp.example:8443", allowed), 200);
  assert.equal(await post("https://app.corp.example.evil", allowed), 403);
  assert.equal(await post("https://a.intra.example", allowed), 200);
});
