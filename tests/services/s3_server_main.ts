/**
 * The S3-compatible server the tests use, as its own process: npm `fauxqs` (a maintained AWS emulator
 * with AWS-strict S3 validation: ListObjectsV2 with delimiters, multipart upload with 5 MiB minimum
 * parts, XML escaping as S3 does it), objects kept as files in a directory.
 * `deno run -A s3_server_main.ts <data dir> <port file> <bucket>...` binds a free loopback port and
 * writes it to the port file.
 *
 * npm `s3rver` (and its maintained fork `@20minutes/s3rver`) was tried first: its listings drop the
 * common prefix of a folder holding only sub-folders and escape `&` in keys twice, so it cannot check
 * MLflow's listing rules.
 */
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { startFauxqs } from "npm:fauxqs@2.4.1";

const [directory, portFile, ...buckets] = Deno.args;
const server = await startFauxqs({
  port: 0,
  host: "127.0.0.1",
  logger: false,
  s3StorageDir: directory,
  init: { buckets },
});
await Deno.writeTextFile(portFile, String(server.port));
