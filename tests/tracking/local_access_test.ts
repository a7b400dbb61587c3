/**
 * A local artifact location is checked before any work is done (`checkAccess`): a file in the way, a
 * folder that cannot be written; a location that does not exist yet is fine, and nothing is left behind.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { LocalArtifactRepository } from "../../lib/tracking/artifacts/local_repository.ts";

async function refusal(root: string): Promise<TrackingError> {
  try {
    await new LocalArtifactRepository(root).checkAccess();
  } catch (error) {
    assert.ok(error instanceof TrackingError, String(error));
    assert.equal(error.code, "tracking/artifact-location-unusable");
    return error;
  }
  assert.fail(`checkAccess should refuse ${root}`);
}

Deno.test("a local artifact location that does not exist yet passes the check, and nothing is created", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-access-" });
  try {
    await new LocalArtifactRepository(`file://${dir}/mlartifacts/1`).checkAccess();
    await new LocalArtifactRepository(dir).checkAccess();
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file on the way to a local artifact location is named, with the fix", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-access-" });
  try {
    await Deno.writeTextFile(join(dir, "mlartifacts"), "not a folder");
    for (const root of [join(dir, "mlartifacts"), `file://${dir}/mlartifacts/1/abc/artifacts`]) {
      const e = await refusal(root);
      assert.match(e.message, new RegExp(`${join(dir, "mlartifacts")} is a file, not a folder`));
      assert.match(e.hint ?? "", /move .*mlartifacts away/);
    }
    assert.equal(await Deno.readTextFile(join(dir, "mlartifacts")), "not a folder");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a folder nothing can be created in is refused (a read-only mount; /proc here, and a 0555 folder unless root)", async () => {
  if (Deno.build.os === "linux") {
    const e = await refusal("/proc/kmlf-artifacts/1");
    assert.match(e.message, /nothing can be created in \/proc/);
    assert.match(e.hint ?? "", /write access to \/proc/);
  }
  if (Deno.uid() === 0 || Deno.build.os === "windows") return; // root writes anywhere
  const dir = await Deno.makeTempDir({ prefix: "kmlf-access-" });
  try {
    await Deno.chmod(dir, 0o555);
    const e = await refusal(join(dir, "mlartifacts"));
    assert.match(e.message, /nothing can be created in/);
  } finally {
    await Deno.chmod(dir, 0o755);
    await Deno.remove(dir, { recursive: true });
  }
});
