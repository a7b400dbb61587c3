/**
 * One masking of credentials for every URI kmlf names in a message: user-info passwords (PostgreSQL's
 * may hold `@` and `/`), libpq's `?password=`, a token standing as an http(s) URL's user — and a path
 * holding `@` is left alone. Also checked end to end: a REST store's errors never print its URL's password.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../lib/errors.ts";
import { openStore } from "../lib/tracking/mod.ts";
import { maskUriCredentials } from "../lib/uri_credentials.ts";

Deno.test("maskUriCredentials masks passwords and tokens wherever a URI carries them", () => {
  const cases: [string, string][] = [
    ["postgresql://mlflow:s3cret@db:5432/mlflow", "postgresql://mlflow:***@db:5432/mlflow"],
    ["postgresql://u:p@s/s3cret@h:5432/mlflow", "postgresql://u:***@h:5432/mlflow"],
    [
      "postgresql://mlflow@db/mlflow?sslmode=require&password=s3cret",
      "postgresql://mlflow@db/mlflow?sslmode=require&password=***",
    ],
    ["postgresql://mlflow@db/mlflow?sslpassword=s3cret", "postgresql://mlflow@db/mlflow?sslpassword=***"],
    [
      "http://bob:s3cret@host:5000/api/2.0/mlflow/runs/get",
      "http://bob:***@host:5000/api/2.0/mlflow/runs/get",
    ],
    ["https://ghp_s3cret@host/x", "https://***@host/x"],
    [
      "http://host:5000/api/2.0/mlflow-artifacts/artifacts/a@b.txt",
      "http://host:5000/api/2.0/mlflow-artifacts/artifacts/a@b.txt",
    ],
    ["sqlite:////tmp/mlflow.db", "sqlite:////tmp/mlflow.db"],
    ["/plain/path", "/plain/path"],
  ];
  for (const [uri, shown] of cases) assert.equal(maskUriCredentials(uri), shown, uri);
});

Deno.test("a REST store's errors name its server without the password in the tracking URI", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("<html>not mlflow</html>", { status: 404 }),
  );
  try {
    const uri = `http://bob:s3cret@127.0.0.1:${server.addr.port}`;
    const store = await openStore(uri, { baseDir: Deno.cwd(), maxRetries: 0, env: () => undefined });
    const error = await store.getExperiment("0").then(() => undefined, (e: unknown) => e);
    await store.close();
    assert.ok(error instanceof TrackingError, String(error));
    const text = `${error.message} ${error.hint}`;
    assert.ok(!text.includes("s3cret"), text);
    assert.match(text, /http:\/\/bob:\*\*\*@127\.0\.0\.1:\d+\/api\/2\.0\/mlflow\/experiments\/get/);
  } finally {
    await server.shutdown();
  }
  // Unreachable: the hint names the server too.
  const store = await openStore("http://bob:s3cret@127.0.0.1:9", { baseDir: Deno.cwd(), maxRetries: 0 });
  const error = await store.getExperiment("0").then(() => undefined, (e: unknown) => e) as TrackingError;
  await store.close();
  assert.ok(!`${error.message} ${error.hint}`.includes("s3cret"), `${error.message} ${error.hint}`);
  assert.match(error.hint ?? "", /bob:\*\*\*@127\.0\.0\.1:9/);
});
