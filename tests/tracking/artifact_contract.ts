/**
 * The contract every ArtifactRepository honours — local files, an MLflow server's proxy (HTTP), S3
 * directly, and the proxy in front of S3: MLflow's layout and path rules, listings in one order,
 * downloads of files and folders, deletes that never touch a sibling sharing a name prefix, names with
 * spaces and URL metacharacters, empty and multi-part-sized files. Register it with
 * `runArtifactContract("s3", async () => ({ repo, dispose }))`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ArtifactRepository } from "../../lib/tracking/mod.ts";
import { rejectsWith } from "./store_contract_helpers.ts";

/** A fresh, empty repository rooted at a run's artifact URI, and how to throw it away. */
export interface ArtifactSubject {
  repo: ArtifactRepository;
  dispose(): Promise<void>;
}

/** Bytes above which the S3 subjects upload in parts (set low so the contract crosses it). */
export const SMALL_MULTIPART = 5 * 1024 * 1024;

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * Registers the contract tests for one repository implementation.
 *
 * @example
 * ```ts
 * runArtifactContract("local", async () => ({ repo: new LocalArtifactRepository(uri), dispose }));
 * ```
 */
export function runArtifactContract(name: string, make: () => Promise<ArtifactSubject>): void {
  const test = (
    title: string,
    fn: (repo: ArtifactRepository, scratch: string, subject: ArtifactSubject) => Promise<void>,
  ) =>
    Deno.test(`${name} artifacts: ${title}`, async () => {
      const subject = await make();
      const scratch = await Deno.makeTempDir({ prefix: "kmlf-artifact-contract-" });
      try {
        await fn(subject.repo, scratch, subject);
      } finally {
        await subject.dispose();
        await Deno.remove(scratch, { recursive: true });
      }
    });

  test("logs files and folders under artifact paths and lists them in one order", async (repo, scratch) => {
    const src = join(scratch, "src");
    await Deno.mkdir(join(src, "plots", "deep"), { recursive: true });
    await Deno.writeTextFile(join(src, "model.txt"), "weights");
    await Deno.writeTextFile(join(src, "plots", "loss.csv"), "1,2");
    await Deno.writeTextFile(join(src, "plots", "deep", "x.txt"), "x");
    await repo.logArtifact(join(src, "model.txt"));
    await repo.logArtifact(join(src, "model.txt"), "models/v1");
    await repo.logArtifacts(join(src, "plots"), "charts");
    assert.deepEqual(await repo.listArtifacts(), [
      { path: "charts", isDir: true, fileSize: null },
      { path: "model.txt", isDir: false, fileSize: 7 },
      { path: "models", isDir: true, fileSize: null },
    ]);
    assert.deepEqual((await repo.listArtifacts(undefined, { recursive: true })).map((f) => f.path), [
      "charts",
      "charts/deep",
      "charts/deep/x.txt",
      "charts/loss.csv",
      "model.txt",
      "models",
      "models/v1",
      "models/v1/model.txt",
    ]);
    assert.deepEqual(await repo.listArtifacts("charts/"), [
      { path: "charts/deep", isDir: true, fileSize: null },
      { path: "charts/loss.csv", isDir: false, fileSize: 3 },
    ]);
    assert.deepEqual(await repo.listArtifacts("model.txt"), []);
    assert.deepEqual(await repo.listArtifacts("missing"), []);
  });

  test(
    "writes, overwrites and reads files; names with spaces, +, & and % round-trip",
    async (repo) => {
      await repo.writeArtifact("notes.txt", "v1");
      await repo.writeArtifact("notes.txt", "v2");
      assert.equal(text(await repo.readArtifact("notes.txt")), "v2");
      const odd = "odd dir/a+b & c%20d=e;f.txt";
      await repo.writeArtifact(odd, new TextEncoder().encode("odd"));
      assert.equal(text(await repo.readArtifact(odd)), "odd");
      // Stored as named everywhere, kmlf's proxy included (MLflow's decodes `%20` to a space; kmlf's server
      // serves a path parameter as sent: README, Troubleshooting).
      assert.deepEqual(await repo.listArtifacts("odd dir"), [{ path: odd, isDir: false, fileSize: 3 }]);
      await repo.writeArtifact("empty.bin", new Uint8Array(0));
      assert.equal((await repo.readArtifact("empty.bin")).length, 0);
      await rejectsWith(repo.readArtifact("nope.txt"), "RESOURCE_DOES_NOT_EXIST");
    },
  );

  test("downloads files and folders into a directory, and says what is missing", async (repo, scratch) => {
    await repo.writeArtifact("model/MLmodel", "flavors: {}");
    await repo.writeArtifact("model/code/nodes.ts", "export {}");
    await repo.writeArtifact("predictions.csv", "a\n1\n");
    const out = join(scratch, "out");
    assert.equal(await repo.downloadArtifacts("model", out), join(out, "model"));
    assert.equal(await Deno.readTextFile(join(out, "model", "code", "nodes.ts")), "export {}");
    assert.equal(await Deno.readTextFile(join(out, "model", "MLmodel")), "flavors: {}");
    assert.equal(await repo.downloadArtifacts("predictions.csv", out), join(out, "predictions.csv"));
    assert.equal(await Deno.readTextFile(join(out, "predictions.csv")), "a\n1\n");
    await rejectsWith(repo.downloadArtifacts("absent", out), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(repo.logArtifact(join(scratch, "absent.txt")), "INVALID_PARAMETER_VALUE");
  });

  test("a failed download without a destination leaves no temp folder behind", async (repo, scratch) => {
    await repo.writeArtifact("model/MLmodel", "flavors: {}");
    // Temp folders go to TMPDIR, read at each call: a scratch one shows what the downloads left.
    const tmp = join(scratch, "tmp");
    await Deno.mkdir(tmp);
    const saved = Deno.env.get("TMPDIR");
    Deno.env.set("TMPDIR", tmp);
    try {
      await rejectsWith(repo.downloadArtifacts("absent"), "RESOURCE_DOES_NOT_EXIST");
      await rejectsWith(repo.downloadArtifacts("model/absent.bin"), "RESOURCE_DOES_NOT_EXIST");
      assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), []);
      // A download that works keeps its folder: the caller owns it now.
      const got = await repo.downloadArtifacts("model");
      assert.equal(await Deno.readTextFile(join(got, "MLmodel")), "flavors: {}");
    } finally {
      if (saved === undefined) Deno.env.delete("TMPDIR");
      else Deno.env.set("TMPDIR", saved);
    }
  });

  test("deletes a file or a folder, never a sibling that shares its name as a prefix", async (repo) => {
    await repo.writeArtifact("model", "a file named model");
    await repo.writeArtifact("model.txt", "keep");
    await repo.writeArtifact("models/a.txt", "keep");
    await repo.writeArtifact("dir/x.txt", "go");
    await repo.writeArtifact("dir/sub/y.txt", "go");
    await repo.deleteArtifacts("model");
    await repo.deleteArtifacts("dir");
    assert.deepEqual((await repo.listArtifacts(undefined, { recursive: true })).map((f) => f.path), [
      "model.txt",
      "models",
      "models/a.txt",
    ]);
  });

  test("refuses unsafe paths before touching anything", async (repo) => {
    await rejectsWith(repo.writeArtifact("../escape.txt", "x"), "INVALID_PARAMETER_VALUE", "..");
    await rejectsWith(repo.writeArtifact("a/../../escape.txt", "x"), "INVALID_PARAMETER_VALUE");
    await rejectsWith(repo.readArtifact("/etc/passwd"), "INVALID_PARAMETER_VALUE", "Absolute");
    await rejectsWith(repo.listArtifacts("a\\b"), "INVALID_PARAMETER_VALUE");
    await rejectsWith(repo.deleteArtifacts("../x"), "INVALID_PARAMETER_VALUE");
    assert.deepEqual(await repo.listArtifacts(), []);
  });

  test("a file larger than the multipart threshold round-trips byte for byte", async (repo, scratch) => {
    const size = 2 * SMALL_MULTIPART + 12345;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 13)) & 0xff;
    const file = join(scratch, "weights.bin");
    await Deno.writeFile(file, data);
    await repo.logArtifact(file, "big");
    assert.deepEqual(await repo.listArtifacts("big"), [{
      path: "big/weights.bin",
      isDir: false,
      fileSize: size,
    }]);
    const out = join(scratch, "out");
    const local = await repo.downloadArtifacts("big/weights.bin", out);
    assert.deepEqual(await Deno.readFile(local), data);
  });
}
