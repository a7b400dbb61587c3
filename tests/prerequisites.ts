/**
 * What the test suite needs besides Deno and the npm registry, in one place: Debian's Chromium and
 * PostgreSQL (the S3-compatible test server is npm `fauxqs`, fetched like every npm dependency). The
 * test command (`deno task test`, tests/run_tests.ts) calls {@link ensurePrerequisites} first, so the
 * README's test command passes by itself on a fresh machine: whatever is missing is installed from
 * Debian's apt, saying so on stderr. Add a new prerequisite to {@link PREREQUISITES}; the tests that use
 * it start and stop it themselves (tests/services/).
 *
 * @module
 */
import { join } from "node:path";
import { PYTHON3 } from "./python3.ts";

/** Debian's Chromium, driven by playwright-core in the web UI's browser tests. */
export const CHROMIUM = "/usr/bin/chromium";

/** Where Debian installs PostgreSQL's server binaries: /usr/lib/postgresql/<major>/bin. */
const POSTGRESQL_ROOT = "/usr/lib/postgresql";

/**
 * The newest installed PostgreSQL server's bin directory (the one holding `initdb`), or undefined.
 *
 * @example
 * ```ts
 * postgresBinDir(); // "/usr/lib/postgresql/15/bin"
 * ```
 */
export function postgresBinDir(): string | undefined {
  let majors: number[] = [];
  try {
    majors = [...Deno.readDirSync(POSTGRESQL_ROOT)].map((e) => Number(e.name)).filter((n) => n > 0);
  } catch {
    return undefined;
  }
  for (const major of majors.sort((a, b) => b - a)) {
    const bin = join(POSTGRESQL_ROOT, String(major), "bin");
    // The client package alone has a bin folder too, without the server's initdb.
    try {
      if (Deno.statSync(join(bin, "initdb")).isFile) return bin;
    } catch {
      // not this version
    }
  }
  return undefined;
}

/** Something the tests need that Deno does not bring. */
export interface Prerequisite {
  /** Short name shown to the user, e.g. "chromium". */
  name: string;
  /** Which tests need it, shown when it is installed or missing. */
  neededBy: string;
  /** Whether it is already there. */
  present(): Promise<boolean>;
  /** Debian packages that provide it. */
  apt: string[];
  /** A shell command run (as root) before the packages are installed, e.g. settings their scripts read. */
  beforeInstall?: string;
}

/** Everything the suite needs, checked in order. */
export const PREREQUISITES: Prerequisite[] = [
  {
    name: "chromium",
    neededBy: "the web UI's browser tests (tests/server/ui_browser_test.ts)",
    present: () => isFile(CHROMIUM),
    apt: ["chromium"],
  },
  {
    name: "postgresql",
    neededBy:
      "the PostgreSQL store, registry, export and scale-out tests (tests/services/postgres_server.ts)",
    present: () => Promise.resolve(postgresBinDir() !== undefined),
    apt: ["postgresql"],
    // Debian's package would create and start a system cluster on port 5432; the tests start their own.
    beforeInstall: "mkdir -p /etc/postgresql-common && " +
      "{ grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf || " +
      "echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf; }",
  },
  {
    name: "python3-jinja2",
    neededBy: "the Airflow export tests, which import the DAG file and render its commands with Airflow's " +
      "template engine (tests/export/airflow_inspect.py)",
    present: () => pythonImports("jinja2"),
    apt: ["python3", "python3-jinja2"],
  },
  {
    name: "python3-yaml",
    neededBy: "the differential YAML tests, which read and write the same values with real PyYAML " +
      "(tests/yaml/pyyaml_oracle.py)",
    present: () => pythonImports("yaml"),
    apt: ["python3", "python3-yaml"],
  },
  {
    name: "python3-omegaconf",
    neededBy: "the differential interpolation tests, which resolve the same config with real OmegaConf " +
      "(tests/config/omegaconf_oracle.py)",
    present: () => pythonImports("omegaconf"),
    apt: ["python3", "python3-omegaconf"],
  },
  {
    name: "python3-pandas",
    neededBy: "the differential CSV and Excel tests, which read and write the same tables with real pandas " +
      "and openpyxl (tests/catalog/pandas_oracle.py), and the factory pattern tests, which match names with " +
      "Python's parse as Kedro does (tests/catalog/parse_oracle.py), and the scoring error tests, which quote " +
      "data as pandas and numpy print it (tests/models/frame_repr_oracle.py, numpy_repr_oracle.py)",
    present: () => pythonImports("pandas, openpyxl, parse"),
    apt: ["python3", "python3-pandas", "python3-openpyxl", "python3-parse"],
  },
];

// Whether the tests' python3 (tests/python3.ts) can import `module`.
async function pythonImports(module: string): Promise<boolean> {
  return await new Deno.Command(PYTHON3, { args: ["-c", `import ${module}`], stdout: "null", stderr: "null" })
    .output().then((r) => r.success, () => false);
}

/** How {@link ensurePrerequisites} runs commands and reports; tests pass their own. */
export interface EnsureOptions {
  /** Runs a command with its output on stderr; returns whether it succeeded. */
  run?(argv: string[], env: Record<string, string>): Promise<boolean>;
  /** One line to the user (default: stderr). */
  log?(line: string): void;
  /** The process's user id (default: `Deno.uid()`); root runs apt-get directly, others through sudo. */
  uid?: number | null;
}

/**
 * Installs the missing prerequisites with one `apt-get update` and one `apt-get install` (after
 * their `beforeInstall` commands), telling the user what and why. Returns the names still missing afterwards (the tests needing them then fail
 * with their own message); never throws, so the rest of the suite still runs.
 *
 * @example
 * ```ts
 * const missing = await ensurePrerequisites(); // [] when everything is there
 * ```
 */
export async function ensurePrerequisites(
  list: readonly Prerequisite[] = PREREQUISITES,
  options: EnsureOptions = {},
): Promise<string[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const run = options.run ?? runToStderr;
  const missing: Prerequisite[] = [];
  for (const p of list) if (!(await p.present())) missing.push(p);
  if (missing.length === 0) return [];
  // One installer at a time (a test file run on its own may install what it needs too).
  const lock = await Deno.open(INSTALL_LOCK, { create: true, write: true });
  await lock.lock(true);
  try {
    const installing: Prerequisite[] = [];
    for (const p of missing) if (!(await p.present())) installing.push(p);
    for (const p of installing) {
      log(`kmlf tests: installing ${p.name} with apt-get (needed by ${p.neededBy})`);
    }
    const uid = options.uid === undefined ? Deno.uid() : options.uid;
    const commands = [
      ...installing.flatMap((p) => (p.beforeInstall ? [asRoot(["sh", "-c", p.beforeInstall], uid)] : [])),
      ...(installing.length ? aptCommands(installing.flatMap((p) => p.apt), uid) : []),
    ];
    for (const argv of commands) {
      if (!(await run(argv, { DEBIAN_FRONTEND: "noninteractive" }))) break;
    }
  } finally {
    lock.close();
  }
  const still: string[] = [];
  for (const p of missing) if (!(await p.present())) still.push(p.name);
  for (const name of still) {
    const p = missing.find((m) => m.name === name)!;
    log(
      `kmlf tests: could not install ${name}; ${p.neededBy} will fail. ` +
        `Install it yourself: sudo apt-get install -y ${p.apt.join(" ")}`,
    );
  }
  return still;
}

/**
 * The apt-get command lines that install `packages`: as root directly, otherwise through
 * non-interactive sudo (a password prompt would hang a CI job).
 *
 * @example
 * ```ts
 * aptCommands(["chromium"], 0); // [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]
 * ```
 */
export function aptCommands(packages: readonly string[], uid: number | null): string[][] {
  return [
    asRoot(["apt-get", "update", "-qq"], uid),
    asRoot(["apt-get", "install", "-y", "-qq", ...packages], uid),
  ];
}

/** `argv` run as root: directly when we are root, else through non-interactive sudo. */
function asRoot(argv: string[], uid: number | null): string[] {
  return uid === 0 ? argv : ["sudo", "-n", "--preserve-env=DEBIAN_FRONTEND", ...argv];
}

const INSTALL_LOCK = "/tmp/kmlf-prerequisites.lock";

async function runToStderr(argv: string[], env: Record<string, string>): Promise<boolean> {
  try {
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    // apt's progress goes to stderr: stdout stays the test report, ending with "N passed, M failed".
    for await (const chunk of child.stdout) await Deno.stderr.write(chunk);
    return (await child.status).success;
  } catch (error) {
    console.error(`kmlf tests: cannot run ${argv[0]}: ${(error as Error).message}`);
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isFile, () => false);
}
