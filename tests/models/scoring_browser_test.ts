/**
 * `kmlf models serve` keeps web pages out as `kmlf server` does (lib/cross_origin.ts, lib/allowed_hosts.ts):
 * a POST from another site's page is refused before the model runs, localhost pages (or the origins
 * `--cors-allowed-origins` / MLFLOW_SERVER_CORS_ALLOWED_ORIGINS name) get CORS headers and preflights, a
 * foreign `Host` (DNS rebinding) is refused; clients that send no `Origin` get MLflow's answers unchanged.
 * Each case runs against `kmlf models serve` on a free loopback port.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawnKmlf } from "../cli_harness.ts";
import { trainedRulesProject } from "./model_helpers.ts";

const trained = await trainedRulesProject();
globalThis.addEventListener("unload", () => Deno.removeSync(trained.base, { recursive: true }));

const CSV = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n";
const ANSWER = '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}';

// `kmlf models serve` with `flags` and `env`, its URL once it listens; stopped by `stop`.
async function serve(flags: string[] = [], env: Record<string, string> = {}) {
  const server = spawnKmlf(["models", "serve", "-m", trained.modelUri, "--port", "0", ...flags], {
    cwd: trained.project,
    watch: "stdout",
    env: { KMLF_CACHE_DIR: join(trained.base, "cache"), ...env },
  });
  const seen = await server.waitFor(/listening on http\S+\s/);
  const url = seen.match(/listening on (http\S+)/)?.[1];
  if (!url) throw new Error(`kmlf exited before listening:\n${seen}`);
  return {
    url,
    invoke: (headers: Record<string, string> = {}, body = CSV) =>
      fetch(`${url}/invocations`, {
        method: "POST",
        headers: { "content-type": "text/csv", ...headers },
        body,
      }),
    async stop() {
      server.child.kill("SIGINT");
      await server.finish();
    },
  };
}

async function refused(response: Response): Promise<string> {
  const body = await response.json();
  assert.equal(response.status, 403, JSON.stringify(body));
  assert.equal(body.error_code, "PERMISSION_DENIED");
  return body.message;
}

/** A raw HTTP/1.1 request with exactly this Host header (fetch sets its own). */
async function rawRequest(url: string, head: string, body = ""): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const bytes = new TextEncoder().encode(body);
  await conn.write(
    new TextEncoder().encode(`${head}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`),
  );
  await conn.write(bytes);
  const text = await new Response(conn.readable).text();
  return { status: Number(text.split(" ")[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}

Deno.test("models serve refuses another site's POST before predicting; its own pages, localhost pages and clients are served", async () => {
  const s = await serve();
  try {
    // Simple requests a page can send without a preflight, and a JSON one, from a foreign or opaque origin.
    for (const origin of ["https://evil.example", "null"]) {
      for (const [type, body] of [["text/csv", CSV], ["text/plain", CSV], ["application/json", "{}"]]) {
        const message = await refused(await s.invoke({ origin, "content-type": type }, body));
        assert.match(message, /^Cross-origin request refused: POST \/invocations came from a page of origin/);
        assert.match(message, /--cors-allowed-origins .* \(or set MLFLOW_SERVER_CORS_ALLOWED_ORIGINS\)/);
      }
    }
    // MLflow's answer for clients without Origin (curl, requests) and for the server's own pages.
    for (const origin of [undefined, s.url]) {
      const ok = await s.invoke(origin ? { origin } : {});
      assert.equal(await ok.text(), ANSWER, origin);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get("access-control-allow-origin"), null);
    }
    // A notebook on another localhost port (the default allowed origins): preflight answered, CORS headers.
    const notebook = "http://localhost:8888";
    const preflight = await fetch(`${s.url}/invocations`, {
      method: "OPTIONS",
      headers: {
        origin: notebook,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), notebook);
    assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type");
    await preflight.body?.cancel();
    const called = await s.invoke({ origin: notebook });
    assert.equal(await called.text(), ANSWER);
    assert.equal(called.headers.get("access-control-allow-origin"), notebook);
    // Reading the health routes stays open to any page (the browser keeps the answer from it).
    const ping = await fetch(`${s.url}/ping`, { headers: { origin: "https://evil.example" } });
    assert.equal(ping.status, 200);
    assert.equal(ping.headers.get("access-control-allow-origin"), null);
    await ping.body?.cancel();
  } finally {
    await s.stop();
  }
});

Deno.test("models serve answers a rebinding page's Host with the tracking server's refusal, before predicting", async () => {
  const s = await serve();
  try {
    const port = new URL(s.url).port;
    // A page whose name rebinds to 127.0.0.1 sends its own origin, so only the Host check stops it.
    const rebound = await rawRequest(
      s.url,
      `POST /invocations HTTP/1.1\r\nHost: evil.example:${port}\r\nOrigin: http://evil.example:${port}\r\n` +
        "Content-Type: text/csv",
      CSV,
    );
    assert.equal(rebound.status, 403, rebound.body);
    const body = JSON.parse(rebound.body);
    assert.equal(body.error_code, "PERMISSION_DENIED");
    assert.equal(
      body.message,
      `Invalid Host header 'evil.example:${port}': this server answers only localhost, 127.0.0.1, ::1 (a ` +
        "reverse proxy forwarding another name: set MLFLOW_SERVER_ALLOWED_HOSTS to it, or to * for any)",
    );
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const ok = await rawRequest(
        s.url,
        `POST /invocations HTTP/1.1\r\nHost: ${host}\r\nContent-Type: text/csv`,
        CSV,
      );
      assert.equal(ok.status, 200, ok.body);
      assert.equal(ok.body, ANSWER);
    }
  } finally {
    await s.stop();
  }
});

Deno.test("--cors-allowed-origins (else MLFLOW_SERVER_CORS_ALLOWED_ORIGINS) names the origins whose pages may call the model", async () => {
  for (
    const [flags, env] of [
      [["--cors-allowed-origins", "https://*.corp.example"], { MLFLOW_SERVER_CORS_ALLOWED_ORIGINS: "*" }],
      [[], { MLFLOW_SERVER_CORS_ALLOWED_ORIGINS: "https://*.corp.example" }],
    ] as const
  ) {
    const s = await serve([...flags], env);
    try {
      const origin = "https://app.corp.example";
      const ok = await s.invoke({ origin });
      assert.equal(await ok.text(), ANSWER);
      assert.equal(ok.headers.get("access-control-allow-origin"), origin);
      // The localhost defaults are replaced, not added to.
      await refused(await s.invoke({ origin: "http://localhost:8888" }));
    } finally {
      await s.stop();
    }
  }
});
