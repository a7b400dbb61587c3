/**
 * lib/file_io.ts behaves as Deno's readFile/readTextFile/writeFile/writeTextFile/copyFile do, on small files
 * (synchronous calls), large ones and pipes (asynchronous calls); kmlf's modules use it, and synchronous
 * metadata calls, instead of Deno's asynchronous ones.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFile, readFile, readTextFile, SYNC_IO_BYTES, writeFile, writeTextFile } from "../lib/file_io.ts";
import { REPO } from "./cli_harness.ts";
import { inTempDir } from "./catalog/dataset_contract.ts";

Deno.test("writeFile and writeTextFile create, replace and append like Deno's", async () => {
  await inTempDir(async (dir) => {
    const ours = join(dir, "ours.bin");
    const deno = join(dir, "deno.bin");
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251); // more than one write() call
    await writeFile(ours, big);
    await Deno.writeFile(deno, big);
    assert.deepEqual(await Deno.readFile(ours), await Deno.readFile(deno));
    await writeTextFile(ours, "héllo\n");
    assert.equal(await Deno.readTextFile(ours), "héllo\n"); // replaced, not overwritten in place
    await writeTextFile(ours, "more", { append: true });
    assert.equal(await Deno.readTextFile(ours), "héllo\nmore");
    await writeFile(ours, new Uint8Array(0));
    assert.equal((await Deno.stat(ours)).size, 0);
  });
});

Deno.test("writeFile options and errors match Deno.writeFile's", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "f.txt");
    await writeTextFile(path, "x", { createNew: true });
    const outcome = async (write: () => Promise<void>) =>
      await write().then(() => "ok", (e: Error) => e.constructor.name);
    // createNew on an existing file, create: false on a missing one, a missing folder, a folder as file.
    const cases: [string, () => Promise<void>, () => Promise<void>][] = [
      [
        "exists",
        () => writeTextFile(path, "y", { createNew: true }),
        () => Deno.writeTextFile(path, "y", { createNew: true }),
      ],
      [
        "no create",
        () => writeTextFile(join(dir, "g"), "y", { create: false }),
        () => Deno.writeTextFile(join(dir, "g"), "y", { create: false }),
      ],
      [
        "no folder",
        () => writeTextFile(join(dir, "a/b/c"), "y"),
        () => Deno.writeTextFile(join(dir, "a/b/c"), "y"),
      ],
      ["a folder", () => writeTextFile(dir, "y"), () => Deno.writeTextFile(dir, "y")],
    ];
    for (const [what, ours, deno] of cases) assert.equal(await outcome(ours), await outcome(deno), what);
    assert.equal(await Deno.readTextFile(path), "x");
    if (Deno.build.os !== "windows") {
      await writeTextFile(join(dir, "m"), "z", { mode: 0o600 });
      assert.equal((await Deno.stat(join(dir, "m"))).mode! & 0o777, 0o600);
    }
  });
});

Deno.test("readFile, readTextFile and copyFile give what Deno's give, small and large", async () => {
  await inTempDir(async (dir) => {
    const small = join(dir, "small.txt");
    const large = join(dir, "large.bin");
    await Deno.writeTextFile(small, "héllo \uFFFD\n");
    await Deno.writeFile(large, new Uint8Array(SYNC_IO_BYTES + 4096).map((_, i) => i % 253));
    for (const path of [small, large]) {
      assert.deepEqual(await readFile(path), await Deno.readFile(path));
      assert.equal(await readTextFile(path), await Deno.readTextFile(path));
      if (Deno.build.os !== "windows") await Deno.chmod(path, 0o640);
      await copyFile(path, `${path}.copy`);
      assert.deepEqual(await Deno.readFile(`${path}.copy`), await Deno.readFile(path));
      if (Deno.build.os !== "windows") assert.equal((await Deno.stat(`${path}.copy`)).mode! & 0o777, 0o640);
    }
    // Invalid UTF-8 is replaced, not refused, as Deno.readTextFile does.
    await Deno.writeFile(small, new Uint8Array([0x61, 0xff, 0x62]));
    assert.equal(await readTextFile(small), await Deno.readTextFile(small));
  });
});

Deno.test("reading or copying a missing file or a folder fails as Deno's calls do", async () => {
  await inTempDir(async (dir) => {
    const outcome = (promise: Promise<unknown>) =>
      promise.then(() => "ok", (e: Error) => `${e.constructor.name}: ${e.message}`);
    for (const path of [join(dir, "missing"), dir, join(dir, "missing", "below")]) {
      assert.equal(await outcome(readFile(path)), await outcome(Deno.readFile(path)), path);
      assert.equal(await outcome(readTextFile(path)), await outcome(Deno.readTextFile(path)), path);
      assert.equal(
        await outcome(copyFile(path, join(dir, "copy"))),
        await outcome(Deno.copyFile(path, join(dir, "copy"))),
        path,
      );
    }
  });
});

Deno.test("files up to 1 MiB take Deno's synchronous calls, larger ones the asynchronous calls", async () => {
  await inTempDir(async (dir) => {
    const calls: string[] = [];
    const names = [
      "readFile",
      "readFileSync",
      "readTextFile",
      "readTextFileSync",
      "open",
      "openSync",
    ] as const;
    const spied = [...names, "copyFile", "copyFileSync"] as const;
    const deno = Deno as unknown as Record<string, (...args: unknown[]) => unknown>;
    const originals = spied.map((name) => [name, deno[name]] as const);
    for (const [name, original] of originals) {
      deno[name] = (...args: unknown[]) => {
        calls.push(name);
        return original.apply(Deno, args);
      };
    }
    const sizes = { small: SYNC_IO_BYTES, large: SYNC_IO_BYTES + 1 };
    const seen: Record<string, string[]> = {};
    try {
      for (const [label, size] of Object.entries(sizes)) {
        const path = join(dir, label);
        calls.length = 0;
        await writeFile(path, new Uint8Array(size));
        await readFile(path);
        await readTextFile(path);
        await copyFile(path, `${path}.copy`);
        seen[label] = [...calls];
      }
    } finally {
      for (const [name, original] of originals) deno[name] = original;
    }
    assert.deepEqual(seen.small, ["openSync", "readFileSync", "readTextFileSync", "copyFileSync"]);
    assert.deepEqual(seen.large, ["open", "readFile", "readTextFile", "copyFile"]);
  });
});

Deno.test("a pipe is read and written with Deno's asynchronous calls, so the event loop goes on", async () => {
  if (Deno.build.os === "windows") return;
  await inTempDir(async (dir) => {
    const fifo = join(dir, "fifo");
    assert.ok((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success, "mkfifo");
    // Opening a FIFO waits for its other end. Each side starts first once: had either call opened it
    // synchronously, the process would hang before the other side starts (so it runs in a child, timed).
    const module = JSON.stringify(join(REPO, "lib/file_io.ts"));
    const script = `
      import { copyFile, readFile, readTextFile, writeFile, writeTextFile } from ${module};
      const fifo = ${JSON.stringify(fifo)};
      const [, text] = await Promise.all([writeTextFile(fifo, "through the pipe"), readTextFile(fifo)]);
      const [bytes] = await Promise.all([readFile(fifo), writeFile(fifo, new Uint8Array([1, 2, 3]))]);
      // A copy onto a FIFO never ends, even Deno's own: it must only leave the event loop running.
      await Deno.writeTextFile(fifo + ".src", "copied");
      copyFile(fifo + ".src", fifo);
      await new Promise((resolve) => setTimeout(resolve, 20));
      console.log(JSON.stringify([text, [...bytes], "event loop running"]));
      Deno.exit(0);`;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      signal: AbortSignal.timeout(20_000),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(child.stderr);
    assert.ok(child.success, `the child hung or failed: ${child.signal ?? stderr}`);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(child.stdout)), [
      "through the pipe",
      [1, 2, 3],
      "event loop running",
    ]);
  });
});

/** Lines of kmlf's modules (documentation examples aside) that match `pattern`, as `path:line`. */
async function linesMatching(pattern: RegExp, skip: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts") && !skip(path)) {
        (await Deno.readTextFile(path)).split("\n").forEach((line, i) => {
          if (/^\s*(\*|\/\/)/.test(line)) return; // documentation examples for users
          if (pattern.test(line)) found.push(`${path.slice(REPO.length + 1)}:${i + 1}`);
        });
      }
    }
  };
  await walk(join(REPO, "lib"));
  return found;
}

Deno.test("kmlf's modules read, write and copy files through lib/file_io.ts, not Deno's calls", async () => {
  // Deno's write calls load its web streams on first use (~3 ms and ~2 MB for every command that writes);
  // its asynchronous calls cost a thread hop each. The project template's text is a user's test, not kmlf's.
  const offenders = await linesMatching(
    /Deno\.(write|read)(Text)?File\(|Deno\.copyFile\(/,
    (path) => path.endsWith("file_io.ts") || path.endsWith("templates/iris_files.ts"),
  );
  assert.deepEqual(offenders, []);
});

Deno.test("kmlf's modules look at the file system with Deno's synchronous calls", async () => {
  // stat, lstat, mkdir, realPath, rename and readDir take microseconds; Deno's asynchronous versions cost a
  // hop to its thread pool and back (~0.1 ms each, ~0.9 ms the first), dozens of times in a run.
  const offenders = await linesMatching(/Deno\.(stat|lstat|mkdir|realPath|rename|readDir)\(/, () => false);
  assert.deepEqual(offenders, []);
});
