/**
 * A real PostgreSQL server for the tests, from Debian's `postgresql` package: `initdb` into a temp
 * directory, started with `pg_ctl` on a free loopback port (unix socket in the same directory), one per
 * test process, stopped when the process ends. As root it runs as the `postgres` user (the server refuses
 * to run as root). Each caller gets its own fresh database.
 *
 * @module
 */
import { join } from "node:path";
import { cleanupOnExit } from "./watchdog.ts";

/** Where Debian installs PostgreSQL's server binaries: /usr/lib/postgresql/<major>/bin. */
const DEBIAN_ROOT = "/usr/lib/postgresql";

/** The newest installed PostgreSQL bin directory, or undefined when the server is not installed. */
export function postgresBinDir(): string | undefined {
  let majors: number[] = [];
  try {
    majors = [...Deno.readDirSync(DEBIAN_ROOT)].map((e) => Number(e.name)).filter((n) => n > 0);
  } catch {
    return undefined;
  }
  for (const major of majors.sort((a, b) => b - a)) {
    const bin = join(DEBIAN_ROOT, String(major), "bin");
    // The client package alone has a bin folder too, without the server's initdb.
    try {
      if (Deno.statSync(join(bin, "initdb")).isFile) return bin;
    } catch {
      // not this version
    }
  }
  return undefined;
}

/**
 * PostgreSQL as a prerequisite of the test command, in the shape tests/prerequisites.ts lists them
 * (name, who needs it, whether it is there, Debian packages).
 */
export const POSTGRESQL_PREREQUISITE = {
  name: "postgresql",
  neededBy:
    "the PostgreSQL tracking store, export and scale-out tests (tests/tracking/postgres_*_test.ts, tests/export/)",
  present: () => Promise.resolve(postgresBinDir() !== undefined),
  apt: ["postgresql"],
};

/**
 * Installs Debian's `postgresql` when missing (as root, else through non-interactive sudo), without the
 * system cluster its package would otherwise create and start on port 5432: the tests start their own.
 */
export async function installPostgresql(): Promise<void> {
  console.error(
    `kmlf tests: installing postgresql with apt-get (needed by ${POSTGRESQL_PREREQUISITE.neededBy})`,
  );
  const sudo = Deno.uid() === 0 ? "" : "sudo -n ";
  // One installer at a time (test files may start servers in parallel); the later ones find it installed.
  const script = `ls ${DEBIAN_ROOT}/*/bin/initdb >/dev/null 2>&1 || { ` +
    `${sudo}sh -c "mkdir -p /etc/postgresql-common && (grep -qs '^create_main_cluster' ` +
    `/etc/postgresql-common/createcluster.conf || echo 'create_main_cluster = false' >> ` +
    `/etc/postgresql-common/createcluster.conf)" && ${sudo}apt-get update -qq && ` +
    `${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${
      POSTGRESQL_PREREQUISITE.apt.join(" ")
    }; }`;
  await new Deno.Command("flock", {
    args: ["/tmp/kmlf-postgresql-install.lock", "sh", "-c", script],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).output().catch((error) => console.error(`kmlf tests: cannot install postgresql: ${error.message}`));
}

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
 * Initializes and starts a server in a new temp directory. Fails with the install command when Debian's
 * `postgresql` package is missing (the test command installs it: tests/services/prerequisites.ts).
 *
 * @example
 * ```ts
 * const server = await startPostgres();
 * const url = await server.createDatabase(); // postgresql://kmlf@127.0.0.1:<port>/kmlf_1
 * await server.stop();
 * ```
 */
export async function startPostgres(): Promise<PostgresServer> {
  if (!postgresBinDir()) await installPostgresql();
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      `Cannot start PostgreSQL for the tests: no server under ${DEBIAN_ROOT}/<version>/bin; ` +
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
  await start();
  // When the test process ends, however it ends: stop the server and remove its files.
  const asUser = Deno.uid() === 0 ? "runuser -u postgres -- " : "";
  await cleanupOnExit(`${asUser}'${join(bin, "pg_ctl")}' -D '${data}' -m immediate stop; rm -rf '${dir}'`);
  const adminUrl = `postgresql://${USER}@127.0.0.1:${port}/postgres`;
  let counter = 0;
  return {
    adminUrl,
    port,
    async createDatabase(prefix = "kmlf") {
      const name = `${prefix}_${Deno.pid}_${++counter}`;
      await run(bin, "createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", USER, name]);
      return `postgresql://${USER}@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
  };
}

let shared: Promise<PostgresServer> | undefined;

/**
 * The test process's server, started on first use and stopped when the process ends.
 *
 * @example
 * ```ts
 * const url = await (await sharedPostgres()).createDatabase();
 * ```
 */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}
