/**
 * The one reading of "does this `file:` URI or plain path name a folder of this machine, and which": used by
 * the tracking URI parser (`lib/tracking/stores/tracking_uri.ts`), the written and stored artifact locations
 * (`lib/tracking/artifacts/local_uri.ts`, `local_repository.ts`), model version sources
 * (`lib/server/model_version_source.ts`) and the foreign-path checks (`lib/foreign_path.ts`). Each caller
 * keeps its own error code and wording; only the reading is here. Light: it loads only `lib/path.ts`.
 *
 * As MLflow 2.17.2 (`is_local_uri`, `urllib.parse`): the scheme is any case (`FILE:`), and a `file:` URI
 * naming the host `localhost` or `127.0.0.1` (any case) names this machine; any other host names another.
 *
 * @module
 */
import { fileURLToPath } from "./path.ts";

/** How a `file:` URI or plain path reads; see {@link readLocalUri}. */
export interface LocalUriReading {
  /** The path as written, not decoded: the plain path, or the `file:` URI's path after its host. */
  written: string;
  /** Set for a `file:` URI. */
  file?: {
    /** The host after `//` as written ("" for `file:///x`), or undefined without `//` (`file:x`). */
    host?: string;
    /** Whether the host names this machine (none, `localhost`, `127.0.0.1`). */
    thisMachine: boolean;
    /** Whether the scheme is spelled otherwise than `file:` (`FILE:`). */
    otherCase: boolean;
  };
}

/** Hosts naming this machine: MLflow's `is_local_uri` takes these as local. */
const THIS_MACHINE = /^(?:|localhost|127\.0\.0\.1)$/i;

/**
 * How `value` reads as a local location, or undefined for a URI of another scheme (`s3://`, `http://`,
 * `sqlite:///`): a scheme is two or more letters, since a single one is a Windows drive (`C:\x`).
 *
 * @example
 * ```ts
 * readLocalUri("file://localhost/srv/x"); // { written: "/srv/x", file: { host: "localhost", thisMachine: true, otherCase: false } }
 * readLocalUri("mlruns"); // { written: "mlruns" }
 * readLocalUri("s3://bucket/x"); // undefined
 * ```
 */
export function readLocalUri(value: string): LocalUriReading | undefined {
  const file = /^file:(?:\/\/([^/]*))?(.*)$/is.exec(value);
  if (!file) return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(value) ? undefined : { written: value };
  const host = file[1];
  return {
    written: file[2],
    file: {
      host,
      thisMachine: host === undefined || THIS_MACHINE.test(host),
      otherCase: !value.startsWith("file:"),
    },
  };
}

/** Why a `file:` URI names no folder of this machine in any reading (see {@link fileUriPath}). */
export type FileUriFault =
  | { fault: "host"; host: string }
  | { fault: "no-absolute-path" }
  | { fault: "encoded-slash" }
  | { fault: "nul" };

/**
 * The decoded path a `file:` URI's reading names on this machine, or why it names none: another host, no
 * absolute path (`file:`, `file:x`), an encoded `/` (`%2F`, Node's rule), a NUL.
 *
 * @example
 * ```ts
 * fileUriPath(readLocalUri("file:///tmp/a%20b")!); // { path: "/tmp/a b" }
 * fileUriPath(readLocalUri("file://server/x")!); // { fault: "host", host: "server" }
 * ```
 */
export function fileUriPath(reading: LocalUriReading): { path: string } | FileUriFault {
  const host = reading.file?.host;
  if (host !== undefined && !reading.file!.thisMachine) return { fault: "host", host };
  if (!reading.written.startsWith("/")) return { fault: "no-absolute-path" };
  let path: string;
  try {
    path = fileURLToPath(`file://${reading.written}`);
  } catch {
    return { fault: "encoded-slash" };
  }
  return path.includes("\0") ? { fault: "nul" } : { path };
}
