/**
 * A scripted HTTP server for REST store tests: binds 127.0.0.1 on a free port, records every request
 * and answers each with the next scripted responder. An unscripted request gets a 400
 * `BAD_REQUEST` (never retried), so a wrong call fails fast.
 */

import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";

/** The TrackingError a promise rejects with (fails the test when it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<TrackingError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TrackingError, String(error));
    return error;
  }
  assert.fail("expected a TrackingError");
}

/** One request as the server saw it. */
export interface ReceivedRequest {
  method: string;
  /** Decoded path, e.g. `/api/2.0/mlflow/runs/get`. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: Uint8Array;
}

/** Answers one request. */
export type Responder = (request: ReceivedRequest) => Response | Promise<Response>;

/** A JSON response. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A scripted server; always `close()` it. */
export class ScriptedServer {
  readonly received: ReceivedRequest[] = [];
  readonly #script: Responder[] = [];
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  constructor() {
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
      const url = new URL(req.url);
      const received: ReceivedRequest = {
        method: req.method,
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: new Uint8Array(await req.arrayBuffer()),
      };
      this.received.push(received);
      const next = this.#script.shift();
      if (!next) {
        return json(
          { error_code: "BAD_REQUEST", message: `unscripted request ${req.method} ${url.pathname}` },
          400,
        );
      }
      return await next(received);
    });
  }

  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Queues responders for the next requests. */
  answer(...responders: Responder[]): void {
    this.#script.push(...responders);
  }

  /** Responders not used yet. */
  get pending(): number {
    return this.#script.length;
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}

/** A port nothing listens on (bound, then released). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
