/**
 * What the web UI's API layer (lib/server/ui/src/api.js) makes of answers that are not MLflow's: no
 * answer at all (the server stopped), a proxy's HTML error page, a login page answered with 200, plain
 * text. Each becomes an ApiError whose message says what happened and what to do.
 */
import assert from "node:assert/strict";
import { ApiError, decode, serverFetch } from "../../lib/server/ui/src/api.js";

const NGINX_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway" +
  "</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";

async function refused(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof ApiError, `expected an ApiError, got ${error}`);
  return error;
}

Deno.test("a server that does not answer is named, with what to do, not the browser's 'Failed to fetch'", async () => {
  // Port 9 (discard) on loopback: nothing listens, the connection is refused.
  const error = await refused(serverFetch("http://127.0.0.1:9/ajax-api/2.0/mlflow/runs/search"));
  assert.equal(error.code, "NETWORK_ERROR");
  assert.match(error.message, /^Cannot reach the tracking server \(.+\): check that it is still running/);
  assert.match(error.message, /then reload the page\.$/);
});

Deno.test("a proxy's HTML error page becomes its gist, without markup", async () => {
  const error = await refused(decode(new Response(NGINX_502, { status: 502, statusText: "Bad Gateway" })));
  assert.equal(error.status, 502);
  assert.equal(error.code, "HTTP_502");
  assert.equal(
    error.message,
    "The server answered 502 Bad Gateway with a page that is not an MLflow answer: 502 Bad Gateway 502 Bad " +
      "Gateway nginx/1.25.3. If a proxy or login page stands in front of the tracking server, check it; then " +
      "reload the page.",
  );
});

Deno.test("a page answered with 200 instead of MLflow's JSON is an error, not an empty list", async () => {
  const login = "<!doctype html><html><script>var x = '<b>';</script><body>Please sign in</body></html>";
  const error = await refused(decode(new Response(login, { status: 200, statusText: "OK" })));
  assert.equal(error.code, "NOT_JSON");
  assert.match(
    error.message,
    /^The server answered 200 OK with a page that is not an MLflow answer: Please sign in\./,
  );
});

Deno.test("MLflow's JSON refusals and plain-text refusals keep their own words", async () => {
  const json = JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Run 'x' not found" });
  const mlflow = await refused(decode(new Response(json, { status: 404 })));
  assert.deepEqual([mlflow.code, mlflow.message], ["RESOURCE_DOES_NOT_EXIST", "Run 'x' not found"]);
  const plain = await refused(decode(new Response("You are not authenticated.\n", { status: 401 })));
  assert.deepEqual([plain.code, plain.message], ["HTTP_401", "You are not authenticated."]);
  const empty = await refused(decode(new Response("", { status: 503, statusText: "Service Unavailable" })));
  assert.equal(empty.message, "503 Service Unavailable");
  assert.deepEqual(await decode(new Response("", { status: 200 })), {});
  assert.deepEqual(await decode(new Response('{"runs": []}', { status: 200 })), { runs: [] });
});
