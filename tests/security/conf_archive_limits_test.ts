/**
 * A crafted `--conf-source` archive: a compression bomb is refused before it fills memory, a packed YAML file
 * is held to the folder's size limit, and entries that would leave the conf root (`../`, absolute paths,
 * symlinks, hard links, devices) are never read and never written anywhere.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync, zipSync } from "fflate";
import { createTar } from "nanotar";
import { ConfigLoader } from "../../lib/config/mod.ts";
import { MAX_ARCHIVE_BYTES } from "../../lib/config/conf_archive.ts";
import { ConfigError } from "../../lib/errors.ts";
import { rejectsWith } from "../config/_helpers.ts";
import { PYTHON3 } from "../python3.ts";

const enc = new TextEncoder();
const open = (path: string) => ConfigLoader.create({ confSource: path, env: "local" });

Deno.test("a .tar.gz or .zip that unpacks past the archive limit is refused, memory bounded", async () => {
  const dir = await Deno.makeTempDir();
  // Zeros compress ~1000:1: a few tens of KiB packed, more than the limit unpacked.
  const zeros = new Uint8Array(MAX_ARCHIVE_BYTES + 1024);
  const files = [
    { name: "conf/base/parameters.yml", data: enc.encode("a: 1\n") },
    { name: "conf/local/zeros.bin", data: zeros },
  ];
  const tgz = join(dir, "bomb.tar.gz");
  await Deno.writeFile(tgz, gzipSync(createTar(files), { level: 1 }));
  const zip = join(dir, "bomb.zip");
  await Deno.writeFile(zip, zipSync(Object.fromEntries(files.map((f) => [f.name, f.data])), { level: 1 }));
  for (const path of [tgz, zip]) {
    assert.ok(Deno.statSync(path).size < 1024 ** 2, "the bomb itself is small");
    await rejectsWith(
      () => open(path),
      ConfigError,
      "config/archive-too-large",
      new RegExp(
        `Cannot read ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: it unpacks to more than a conf archive`,
      ),
    );
  }
  // A truncated .tar.gz is still a broken archive, not an empty one.
  const whole = gzipSync(createTar([{ name: "conf/base/p.yml", data: enc.encode("a: 1\n") }]));
  await Deno.writeFile(tgz, whole.subarray(0, whole.length >> 1));
  await rejectsWith(() => open(tgz), ConfigError, "config/bad-archive");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a YAML file inside an archive is held to the 16 MiB limit of a conf folder's files", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "conf.tar.gz");
  const big = enc.encode(`a: "${"x".repeat(17 * 1024 ** 2)}"\n`);
  await Deno.writeFile(
    path,
    gzipSync(
      createTar([
        { name: "conf/base/parameters.yml", data: big },
        { name: "conf/local/.keep", data: new Uint8Array() },
      ]),
      { level: 1 },
    ),
  );
  const loader = await open(path);
  const e = await rejectsWith(() => loader.get("parameters"), ConfigError, "yaml/too-large", /17\.0 MiB/);
  assert.equal(e.source?.file, join(path, "conf/base/parameters.yml"));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("archive entries leaving the conf root (../, /abs, links, devices) are neither read nor written", async () => {
  const dir = await Deno.makeTempDir();
  const outside = join(dir, "outside");
  await Deno.mkdir(outside);
  await Deno.writeTextFile(join(outside, "secret.yml"), "secret: from-outside\n");
  const path = join(dir, "evil.tar");
  // Python's tarfile writes the entry types a hostile tar carries; kmlf only reads, in memory.
  const script = `
import io, sys, tarfile
out, outside = sys.argv[1], sys.argv[2]
def reg(t, name, text):
    data = text.encode(); info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
def link(t, name, target, kind):
    info = tarfile.TarInfo(name); info.type = kind; info.linkname = target; t.addfile(info)
with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
    reg(t, "base/parameters.yml", "a: 1\\n")
    reg(t, "local/.keep", "")
    reg(t, "../escaped.yml", "x: 1\\n")
    reg(t, "/tmp/kmlf-absolute-escape.yml", "x: 1\\n")
    reg(t, "base/../../../up.yml", "x: 1\\n")
    link(t, "base/parameters_link.yml", outside + "/secret.yml", tarfile.SYMTYPE)
    link(t, "base/parameters_rel.yml", "../../outside/secret.yml", tarfile.SYMTYPE)
    link(t, "base/parameters_hard.yml", outside + "/secret.yml", tarfile.LNKTYPE)
    dev = tarfile.TarInfo("base/parameters_dev.yml"); dev.type = tarfile.CHRTYPE; dev.devmajor = 1; dev.devminor = 3
    t.addfile(dev)
    reg(t, "base/parameters.yml", "a: 2\\n")
`;
  const made = await new Deno.Command(PYTHON3, { args: ["-c", script, path, outside] }).output();
  assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
  const before = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  const loader = await open(path);
  const params = await loader.get("parameters");
  assert.equal(params.data.secret, undefined, "no link was followed out of the archive");
  assert.equal(params.data.x, undefined, "no entry outside conf/ was read as conf");
  assert.deepEqual(params.files, [join(path, "base/parameters.yml")]);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), before, "nothing was written");
  assert.throws(() => Deno.statSync("/tmp/kmlf-absolute-escape.yml"));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a deeply nested entry (a 200 KB name of 100,000 folders) loads in bounded memory", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "deep.tar");
  const script = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    for name, text in [("base/parameters.yml", "a: 1\\n"), ("local/.keep", ""), ("base/" + "a/" * 100000 + "p.yml", "b: 2\\n")]:
        data = text.encode(); info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
`;
  const made = await new Deno.Command(PYTHON3, { args: ["-c", script, path] }).output();
  assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
  // A 192 MB heap: keeping every folder of the path as its own name needs gigabytes and crashes.
  const loader = new URL("../../lib/config/mod.ts", import.meta.url).href;
  const code = `const { ConfigLoader } = await import(${JSON.stringify(loader)});
const l = await ConfigLoader.create({ confSource: ${JSON.stringify(path)}, env: "local" });
console.log(JSON.stringify((await l.get("parameters")).data));`;
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--max-old-space-size=192", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr).slice(-2000));
  assert.equal(new TextDecoder().decode(run.stdout).trim(), JSON.stringify({ a: 1 }));
  await Deno.remove(dir, { recursive: true });
});
