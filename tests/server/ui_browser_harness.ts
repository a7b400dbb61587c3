/**
 * What the browser tests share: Debian's headless Chromium (driven by playwright-core) and screenshots of
 * the web UI's main pages. Every browser-test run writes screenshots under tests/artifacts/screenshots/
 * (ignored by git); with `UPDATE_SCREENSHOTS=1` the committed copies under tests/artifacts/pages/ are
 * rewritten too (viewport only, 1280×800, so the PNGs stay small) — review them like golden files.
 */
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { type Browser, chromium, type Page } from "npm:playwright-core@1.65.1";
import { REPO } from "../cli_harness.ts";
import { CHROMIUM } from "../prerequisites.ts";

// Debian's Chromium; the test command installs it when missing (tests/prerequisites.ts).
export { CHROMIUM };

/** Launches headless Chromium, failing with the install command when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!(await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false))) {
    throw new Error(
      `Cannot run the browser tests: ${CHROMIUM} is missing; install it with \`apt-get install -y chromium\``,
    );
  }
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export const SCREENSHOTS_DIR = join(REPO, "tests/artifacts/screenshots");
export const PAGES_DIR = join(REPO, "tests/artifacts/pages");

/** Saves a screenshot of a main page (see the module comment). */
export async function pageShot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
  if (Deno.env.get("UPDATE_SCREENSHOTS") === "1") {
    await Deno.mkdir(PAGES_DIR, { recursive: true });
    const size = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() =>
      new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    );
    await page.screenshot({ path: join(PAGES_DIR, `${name}.png`) });
    if (size) await page.setViewportSize(size);
  }
}
