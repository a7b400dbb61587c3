/**
 * kmlf's web UI, served from assets embedded in the binary (generated into `ui_assets.ts` from
 * `src/` by `deno task embed-ui`): `GET /` (and `/index.html`) is the single page, `/static-files/<name>`
 * its script (`app.js`, the bundle of every module of `src/`), styles and icon. The page talks to the REST API under `/ajax-api/2.0/mlflow/` and
 * reads artifacts through `/get-artifact`.
 *
 * @module
 */
import { UI_ASSETS } from "./ui_assets.ts";

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  json: "application/json",
};

/**
 * Scripts only from this server; HTML artifacts are shown in `sandbox=""` iframes (no scripts either).
 * Inline styles stay allowed so HTML reports keep their look in the preview. PDF artifacts are shown
 * in a frame from a `blob:` URL the page makes from the file's bytes (typed application/pdf).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "frame-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

const encoded = new Map<string, Uint8Array<ArrayBuffer>>();

function asset(name: string): Response | undefined {
  if (!Object.hasOwn(UI_ASSETS, name)) return undefined;
  let body = encoded.get(name);
  if (!body) {
    body = new TextEncoder().encode(UI_ASSETS[name]) as Uint8Array<ArrayBuffer>;
    encoded.set(name, body);
  }
  const ext = name.slice(name.lastIndexOf(".") + 1);
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  };
  if (ext === "html") {
    headers["content-security-policy"] = CONTENT_SECURITY_POLICY;
    headers["referrer-policy"] = "no-referrer";
  }
  return new Response(body, { headers });
}

/**
 * The UI response for `url`, or undefined when the path is not the UI's (the caller answers 404).
 *
 * @example
 * ```ts
 * const handler = createRequestHandler(store, { ui: serveUi });
 * serveUi(new URL("http://localhost:5000/"))?.headers.get("content-type"); // "text/html; charset=utf-8"
 * ```
 */
export function serveUi(url: URL): Response | undefined {
  const path = url.pathname;
  if (path === "/" || path === "/index.html") return asset("index.html");
  if (path.startsWith("/static-files/")) {
    const name = path.slice("/static-files/".length);
    if (name === "" || name.includes("/") || name === "index.html") return undefined;
    return asset(name);
  }
  return undefined;
}

/**
 * The UI with a start page: a bare URL (no `#/…`) opens `startHash` instead of the experiments list.
 * `kmlf mlflow ui` passes the project's experiment, whose runs are what the user came to see; links
 * with a hash (and the UI's own "home" link, `#/`) are left alone.
 *
 * @example
 * ```ts
 * createRequestHandler(store, { ui: uiWithStartPage("#/experiments/1") });
 * ```
 */
export function uiWithStartPage(startHash: string): (url: URL) => Response | undefined {
  if (!/^#\/[\w/-]*$/.test(startHash)) throw new Error(`Not a UI route: ${startHash}`);
  let page: Uint8Array<ArrayBuffer> | undefined;
  return (url) => {
    const response = serveUi(url);
    if (!response || (url.pathname !== "/" && url.pathname !== "/index.html")) return response;
    page ??= new TextEncoder().encode(
      UI_ASSETS["index.html"].replace(
        "<head>",
        `<head>\n    <meta name="kmlf-start-page" content="${startHash}">`,
      ),
    ) as Uint8Array<ArrayBuffer>;
    return new Response(page, { headers: response.headers });
  };
}
