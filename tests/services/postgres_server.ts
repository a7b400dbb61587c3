/**
 * A real PostgreSQL server for the tests, from Debian's `postgresql` package (a prerequisite of the test
 * command: tests/prerequisites.ts): `initdb` into a temp directory, started with `pg_ctl` on a free
 * loopback port (unix socket in the same directory). As root it runs as the `postgres` user (the server
 * refuses to run as root). Each caller gets its own fresh database.
 *
 * Under the test command (tests/run_tests.ts sets `KMLF_TEST_SERVICES`) every test file shares one server,
 * started by the first file that needs it and stopped when the command ends: `initdb` takes seconds,
 * so a server per file would cost a minute. A test file run on its own starts its own server.
 *
 * @module
 */
import { join } from "node:path";
import { ensurePrerequisites, postgresBinDir, PREREQUISITES } from "../prerequisites.ts";
import { cleanupOnExit } from "./watchdog.ts";

/** A running test server. */
export interface PostgresServer {
  /** `postgresql://kmlf@127.0.0.1:<port>/postgres` */
  readonly adminUrl: string;
  readonly port: number;
  /** A new, empty database; returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are dropped). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
}

const USER = "kmlf";

/**
 * A free loopback port below Linux's ephemeral range (32768+), so no outgoing connection of a
 * parallel test can take it while the server is stopped and restarted.
 */
export function freePort(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // taken: try another
    }
  }
  throw new Error("Cannot find a free loopback port between 20000 and 32000 for a test server");
}

/** Runs a server binary, as `postgres` when we are root. */
function serverCommand(bin: string, tool: string, args: string[]): Deno.Command {
  const asRoot = Deno.uid() === 0;
  const program = join(bin, tool);
  return asRoot
    ? new Deno.Command("runuser", {
      args: ["-u", "postgres", "--", program, ...args],
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(program, { args, stdout: "piped", stderr: "piped" });
}

async function run(bin: string, tool: string, args: string[]): Promise<void> {
  const out = await serverCommand(bin, tool, args).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${tool} ${args.join(" ")} failed: ${text}`);
  }
}

/**
 * Initializes and starts a server in a new temp directory (installing PostgreSQL when missing);
 * `onCleanup` gets the shell line that stops it and removes its files before it starts.
 */
async function launchPostgres(onCleanup: (cleanup: string) => Promise<void>): Promise<PostgresServer> {
  if (!postgresBinDir()) await ensurePrerequisites(PREREQUISITES.filter((p) => p.name === "postgresql"));
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      "Cannot start PostgreSQL for the tests: no server under /usr/lib/postgresql/<version>/bin and " +
        "installing it failed: run `sudo apt-get install -y postgresql` yourself",
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "kmlf-postgres-" });
  if (Deno.uid() === 0) await new Deno.Command("chown", { args: ["postgres", dir] }).output();
  const data = join(dir, "data");
  // ICU English collation: text sorts and folds as on a typical production server (not by code point),
  // so the tests see what kmlf must neutralize to return the same results as SQLite.
  const locale = ["--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US"];
  await run(bin, "initdb", ["-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", ...locale]);
  const port = freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    // Durability is not what these tests check; without fsync a test database is created ~10× faster.
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const start = () =>
    run(bin, "pg_ctl", ["-D", data, "-w", "-l", join(dir, "server.log"), "-o", options, "start"]);
  const stop = () => run(bin, "pg_ctl", ["-D", data, "-w", "-m", "fast", "stop"]);
  const asUser = Deno.uid() === 0 ? "runuser -u postgres -- " : "";
  await onCleanup(`${asUser}'${join(bin, "pg_ctl")}' -D '${data}' -m immediate stop; rm -rf '${dir}'`);
  await start();
  return serverAt(bin, port, { start, stop });
}

/** The server on `port`; `control` stops and starts it (absent for the test command's shared one). */
function serverAt(
  bin: string,
  port: number,
  control?: { start(): Promise<void>; stop(): Promise<void> },
): PostgresServer {
  const refuse = () =>
    Promise.reject(
      new Error(
        "The test command's shared PostgreSQL server stays up: stop and start one from startPostgres()",
      ),
    );
  return {
    adminUrl: `postgresql://${USER}@127.0.0.1:${port}/postgres`,
    port,
    async createDatabase(prefix = "kmlf") {
      // Unique across test files sharing the server (one process, one module instance per file).
      const name = `${prefix}_${Deno.pid}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
      await run(bin, "createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", USER, name]);
      return `postgresql://${USER}@127.0.0.1:${port}/${name}`;
    },
    stop: control?.stop ?? refuse,
    start: control?.start ?? refuse,
  };
}

/**
 * A server of this test process alone, stopped (and its files removed) when the process ends however
 * it ends. Tests that stop and restart a server use this one.
 *
 * @example
 * ```ts
 * const server = await startPostgres();
 * const url = await server.createDatabase(); // postgresql://kmlf@127.0.0.1:<port>/kmlf_…
 * await server.stop();
 * ```
 */
export async function startPostgres(): Promise<PostgresServer> {
  return await launchPostgres(cleanupOnExit);
}

/** The environment variable naming the test command's services directory (tests/run_tests.ts). */
export const TEST_SERVICES_ENV = "KMLF_TEST_SERVICES";

/**
 * The test command's shared server: the first caller (under a file lock, as test files may run in
 * parallel) starts it and records it in the services directory with the line that stops it; later
 * callers attach. The test command runs every `*.stop` line there when it ends.
 */
async function commandWidePostgres(servicesDir: string): Promise<PostgresServer> {
  const lock = await Deno.open(join(servicesDir, "postgres.lock"), { create: true, write: true });
  await lock.lock(true);
  try {
    const state = join(servicesDir, "postgres.json");
    const known = await Deno.readTextFile(state).then(
      (t) => JSON.parse(t) as { port: number },
      () => undefined,
    );
    const bin = postgresBinDir();
    if (known && bin) return serverAt(bin, known.port);
    const server = await launchPostgres((cleanup) =>
      Deno.writeTextFile(join(servicesDir, "postgres.stop"), cleanup)
    );
    await Deno.writeTextFile(state, JSON.stringify({ port: server.port }));
    return serverAt(postgresBinDir()!, server.port);
  } finally {
    lock.close();
  }
}

let shared: Promise<PostgresServer> | undefined;

/**
 * The server for tests that only need databases: the test command's shared server, or one of this
 * test process's own when a file is run by itself. It cannot be stopped (use {@link startPostgres}).
 *
 * @example
 * ```ts
 * const url = await (await sharedPostgres()).createDatabase();
 * ```
 */
export function sharedPostgres(): Promise<PostgresServer> {
  if (!shared) {
    const servicesDir = Deno.env.get(TEST_SERVICES_ENV);
    shared = servicesDir ? commandWidePostgres(servicesDir) : startPostgres();
  }
  return shared;
}

/**
 * Creates the directory shared test servers record themselves in, and the line that stops them all and
 * removes it (run by the test command when it ends, and by its watchdog if it dies).
 *
 * @example
 * ```ts
 * const services = await testServicesDir();
 * // … run the tests with KMLF_TEST_SERVICES=services.dir …
 * await services.stop();
 * ```
 */
export async function testServicesDir(): Promise<{ dir: string; cleanup: string; stop(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-test-services-" });
  const cleanup = `for f in '${dir}'/*.stop; do [ -f "$f" ] && sh "$f"; done; rm -rf '${dir}'`;
  return {
    dir,
    cleanup,
    async stop() {
      await new Deno.Command("sh", { args: ["-c", cleanup], stdout: "null", stderr: "null" }).output();
    },
  };
}
