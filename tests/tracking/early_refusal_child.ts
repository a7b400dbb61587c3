/**
 * Child process of rest_artifacts_test.ts: uploads a big file to a server that refuses it before reading
 * the body, prints the error code, then simply ends. A timer or upload leaked by the HTTP client would keep
 * the process alive until the client's (long) timeout. Args: <server url> <file>.
 */
import { artifactRepositoryForRest, HttpClient } from "../../lib/tracking/mod.ts";

const [url, file] = Deno.args;
const http = new HttpClient(url, { env: () => undefined, maxRetries: 0, timeoutMs: 120_000 });
const repo = artifactRepositoryForRest("mlflow-artifacts:/1/abc/artifacts", http);
console.log((await repo.logArtifact(file).catch((error) => error)).code);
