/**
 * What a failed file-system or SQLite operation means, in words a user can act on: the OS error (EACCES,
 * EROFS, ENOSPC, EFBIG, EISDIR, ENOTDIR, ENAMETOOLONG, EIO) or SQLite's message, mapped to a short code, a description
 * and a hint. Datasets and tracking stores use it so that a full disk says "free space", not "check the
 * data the node returned".
 *
 * @module
 */

/** One kind of I/O failure. `code` is appended to the caller's prefix (`dataset/no-space`). */
export interface IoProblem {
  code: string;
  /** What went wrong, e.g. "no space left on the device". */
  what: string;
  /** What to do about it, naming `subject` (the file or store). */
  hint: string;
}

function osError(error: unknown, code: string, errno: number): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === code || String(e?.message ?? "").includes(`(os error ${errno})`);
}

/**
 * The problem behind `error`, if it is an I/O failure kmlf can explain; `subject` names the file, folder
 * or store in the hint.
 *
 * @example
 * ```ts
 * ioProblem(new Error("No space left on device (os error 28)"), "data/big.csv")?.code; // "no-space"
 * ```
 */
export function ioProblem(error: unknown, subject: string): IoProblem | undefined {
  const message = String((error as { message?: unknown } | null)?.message ?? "");
  if (
    error instanceof Deno.errors.PermissionDenied || osError(error, "EACCES", 13) ||
    osError(error, "EPERM", 1)
  ) {
    return {
      code: "permission-denied",
      what: "permission denied",
      hint: `check the permissions of ${subject} and of its folder for the user running kmlf`,
    };
  }
  if (osError(error, "EROFS", 30) || /readonly database/i.test(message)) {
    return {
      code: "read-only",
      what: "the file system (or file) is read-only",
      hint: `write ${subject} somewhere writable, or remount its disk read-write`,
    };
  }
  if (osError(error, "ENOSPC", 28) || /database or disk is full/i.test(message)) {
    return {
      code: "no-space",
      what: "no space left on the device",
      hint: `free disk space where ${subject} is written, or move it to a disk with room`,
    };
  }
  if (osError(error, "EFBIG", 27)) {
    return {
      code: "file-too-large",
      what: "the file grew past a size limit",
      hint: `${subject} hit a limit on file size (ulimit -f, a quota, or the file system's maximum)`,
    };
  }
  if (error instanceof Deno.errors.IsADirectory || osError(error, "EISDIR", 21)) {
    return {
      code: "is-a-directory",
      what: "it is a folder, not a file",
      hint: `point ${subject} at a file (a folder of files is a partitioned dataset)`,
    };
  }
  if (error instanceof Deno.errors.NotADirectory || osError(error, "ENOTDIR", 20)) {
    return {
      code: "not-a-directory",
      what: "a part of its path is a file, not a folder",
      hint: `check the folders on the way to ${subject}`,
    };
  }
  if (/file is not a database/i.test(message)) {
    return {
      code: "not-a-database",
      what: "it is not an SQLite database",
      hint: `${subject} holds something else; point at an SQLite file (or a new path), or move the file away`,
    };
  }
  if (osError(error, "ENAMETOOLONG", 36)) {
    return {
      code: "name-too-long",
      what: "a file or folder name on its path is too long (over 255 bytes of UTF-8)",
      hint: `use shorter names for ${subject}: non-ASCII letters take 2-4 bytes each`,
    };
  }
  if (osError(error, "EIO", 5) || /disk I\/O error/i.test(message)) {
    return {
      code: "io-error",
      what: "the disk could not read or write it (an I/O error)",
      hint: `check the disk holding ${subject}: free space, size limits, a failing or disconnected drive`,
    };
  }
  return undefined;
}
