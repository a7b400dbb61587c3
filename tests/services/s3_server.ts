/**
 * An S3-compatible server for the tests (npm `fauxqs`, tests/services/s3_server_main.ts), one per test process,
 * started on first use on a free loopback port, its data in a temp directory, stopped when the
 * process ends. Gives the environment MLflow's S3 client (and kmlf's) reads to reach it.
 *
 * @module
 */
import { join } from "node:path";
import { cleanupOnExit } from "./watchdog.ts";

/** The bucket every test uses (each under its own prefix). */
export const TEST_BUCKET = "kmlf-tests";

/** A running S3 server. */
export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** MLFLOW_S3_ENDPOINT_URL and AWS credentials for it. */
  env: Record<string, string>;
  /** A fresh `s3://kmlf-tests/<unique prefix>` location. */
  location(name?: string): string;
}

async function startS3Server(): Promise<S3Server> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-s3-" });
  const portFile = join(dir, "port");
  const main = new URL("./s3_server_main.ts", import.meta.url).pathname;
  const pidText = await new Deno.Command("sh", {
    args: [
      "-c",
      `'${Deno.execPath()}' run -A '${main}' '${join(dir, "data")}' '${portFile}' ${TEST_BUCKET} ` +
      `> '${join(dir, "server.log")}' 2>&1 < /dev/null & echo $!`,
    ],
    stdout: "piped",
  }).output();
  const pid = Number(new TextDecoder().decode(pidText.stdout).trim());
  await cleanupOnExit(`kill ${pid}; rm -rf '${dir}'`);
  const deadline = Date.now() + 60_000;
  let port = "";
  while (!port) {
    port = await Deno.readTextFile(portFile).catch(() => "");
    if (!port && Date.now() > deadline) {
      const log = await Deno.readTextFile(join(dir, "server.log")).catch(() => "");
      throw new Error(`Cannot start the S3 test server (npm fauxqs): ${log}`);
    }
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  const endpoint = `http://127.0.0.1:${port}`;
  let counter = 0;
  return {
    endpoint,
    env: {
      MLFLOW_S3_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_DEFAULT_REGION: "us-east-1",
    },
    location: (name = "t") => `s3://${TEST_BUCKET}/${name}-${Deno.pid}-${++counter}`,
  };
}

let shared: Promise<S3Server> | undefined;

/**
 * The test process's S3 server.
 *
 * @example
 * ```ts
 * const s3 = await sharedS3Server();
 * const repo = artifactRepositoryFor(s3.location(), { env: (n) => s3.env[n] });
 * ```
 */
export function sharedS3Server(): Promise<S3Server> {
  shared ??= startS3Server();
  return shared;
}
