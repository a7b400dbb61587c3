/** A fresh copy of the spaceflights test project (Kedro's starter moved to kmlf) with its raw data. */
import { dirname, join } from "node:path";

const FIXTURES = new URL("./fixtures/spaceflights/", import.meta.url).pathname;

/**
 * Copies tests/fixtures/spaceflights/project to a temp dir and its raw data to data/01_raw.
 *
 * @example
 * ```ts
 * const dir = await spaceflightsProject();
 * ```
 */
export async function spaceflightsProject(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-spaceflights-" });
  const copy = async (from: string, to: string) => {
    for await (const entry of Deno.readDir(from)) {
      const [src, dst] = [join(from, entry.name), join(to, entry.name)];
      if (entry.isDirectory) await copy(src, dst);
      else {
        await Deno.mkdir(dirname(dst), { recursive: true });
        await Deno.copyFile(src, dst);
      }
    }
  };
  await copy(join(FIXTURES, "project"), dir);
  await Deno.mkdir(join(dir, "data/01_raw"), { recursive: true });
  for (const name of ["companies.csv", "reviews.csv", "shuttles.xlsx"]) {
    await Deno.copyFile(join(FIXTURES, name), join(dir, "data/01_raw", name));
  }
  return dir;
}
