/** The test command's prerequisites: what it installs, how, and what it says. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { aptCommands, ensurePrerequisites, type Prerequisite, PREREQUISITES } from "./prerequisites.ts";

Deno.test("apt-get runs directly as root and through non-interactive sudo otherwise", () => {
  assert.deepEqual(aptCommands(["chromium"], 0), [
    ["apt-get", "update", "-qq"],
    ["apt-get", "install", "-y", "-qq", "chromium"],
  ]);
  const [update, install] = aptCommands(["chromium", "postgresql"], 1000);
  assert.deepEqual(update.slice(0, 2), ["sudo", "-n"]);
  assert.deepEqual(install.slice(-2), ["chromium", "postgresql"]);
});

Deno.test("missing prerequisites are installed in one apt run, saying what and why", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const marker = (name: string) => join(dir, name);
    const prereq = (name: string): Prerequisite => ({
      name,
      neededBy: `the ${name} tests`,
      present: () => Deno.stat(marker(name)).then(() => true, () => false),
      apt: [name],
    });
    await Deno.writeTextFile(marker("present"), "");
    const ran: string[][] = [];
    const lines: string[] = [];
    const missing = await ensurePrerequisites([prereq("present"), prereq("a"), prereq("b")], {
      uid: 0,
      log: (l) => lines.push(l),
      // Stands in for apt: "installs" package a only.
      run: async (argv, env) => {
        ran.push(argv);
        assert.equal(env.DEBIAN_FRONTEND, "noninteractive");
        if (argv[1] === "install") await Deno.writeTextFile(marker("a"), "");
        return true;
      },
    });
    assert.deepEqual(ran, [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "a", "b"]]);
    assert.deepEqual(missing, ["b"]);
    assert.match(lines[0], /installing a with apt-get \(needed by the a tests\)/);
    assert.match(lines.at(-1)!, /could not install b; the b tests will fail.*apt-get install -y b/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nothing runs when every prerequisite is present", async () => {
  const missing = await ensurePrerequisites(
    [{ name: "deno", neededBy: "everything", present: () => Promise.resolve(true), apt: ["deno"] }],
    { run: () => Promise.reject(new Error("must not run")) },
  );
  assert.deepEqual(missing, []);
});

Deno.test("the suite's prerequisites are Chromium, PostgreSQL without a system cluster, Jinja, PyYAML, OmegaConf and pandas", () => {
  assert.deepEqual(PREREQUISITES.map((p) => [p.name, p.apt]), [
    ["chromium", ["chromium"]],
    ["postgresql", ["postgresql"]],
    ["python3-jinja2", ["python3", "python3-jinja2"]],
    ["python3-yaml", ["python3", "python3-yaml"]],
    ["python3-omegaconf", ["python3", "python3-omegaconf"]],
    ["python3-pandas", ["python3", "python3-pandas", "python3-openpyxl", "python3-parse"]],
  ]);
  // Debian's postgresql package would start a cluster on port 5432 unless told not to create one.
  assert.match(PREREQUISITES[1].beforeInstall ?? "", /create_main_cluster = false/);
});

Deno.test("a prerequisite's beforeInstall runs as root before apt installs it", async () => {
  const ran: string[][] = [];
  let installed = false;
  const missing = await ensurePrerequisites(
    [{
      name: "db",
      neededBy: "the db tests",
      present: () => Promise.resolve(installed),
      apt: ["db-server"],
      beforeInstall: "echo no-cluster > /etc/db.conf",
    }],
    {
      uid: 1000,
      log: () => {},
      run: (argv) => {
        ran.push(argv);
        if (argv.includes("install")) installed = true;
        return Promise.resolve(true);
      },
    },
  );
  assert.deepEqual(missing, []);
  assert.deepEqual(ran.map((argv) => argv.slice(3)), [
    ["sh", "-c", "echo no-cluster > /etc/db.conf"],
    ["apt-get", "update", "-qq"],
    ["apt-get", "install", "-y", "-qq", "db-server"],
  ]);
  assert.ok(ran.every((argv) => argv[0] === "sudo"), "through sudo when not root");
});
