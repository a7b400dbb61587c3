/**
 * A TCP proxy in front of a real test server (PostgreSQL, the S3 server) that can go silent on demand:
 * after `stallAfter(n)` each connection passes at most `n` more bytes of the server's answers, then
 * swallows the rest without closing the socket — a server or network that stalls mid-answer. What the
 * client sends always goes through, so a cancel request still reaches the server.
 *
 * @module
 */

/** A running proxy. */
export interface StallingProxy {
  /** The loopback port clients connect to. */
  readonly port: number;
  /** From now on, each open and new connection forwards at most `bytes` more bytes of answers. */
  stallAfter(bytes: number): void;
  /** Forwards everything again (swallowed bytes are lost: those connections stay broken). */
  resume(): void;
  /** Cuts the next connection that sends `text`, forwarding it but none of the server's answer. */
  breakAfter(text: string): void;
  /** How many connections `breakAfter` cut. */
  readonly breaks: number;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free loopback port forwarding to `target`.
 *
 * @example
 * ```ts
 * const proxy = startStallingProxy({ hostname: "127.0.0.1", port: 5432 });
 * proxy.stallAfter(0); // answers stop; requests still reach the server
 * await proxy.close();
 * ```
 */
export function startStallingProxy(target: { hostname: string; port: number }): StallingProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const sockets = new Set<Deno.Conn>();
  const budgets = new Set<{ left: number }>();
  let budget = Infinity;
  let breakText: string | undefined;
  let breaks = 0;
  const doomed = new Set<Deno.Conn>();
  const pumps: Promise<void>[] = [];
  const closeQuietly = (conn: Deno.Conn) => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  };

  async function pump(from: Deno.Conn, to: Deno.Conn, limited?: { left: number }): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        let chunk = buffer.subarray(0, n);
        const cuts = !limited && breakText !== undefined &&
          new TextDecoder().decode(chunk).includes(breakText);
        if (cuts) breakText = undefined;
        if (limited && doomed.has(to)) {
          // The server answered what the doomed client sent: the client never sees it.
          breaks++;
          closeQuietly(to);
          closeQuietly(from);
          break;
        }
        if (limited) {
          chunk = chunk.subarray(0, Math.max(0, Math.min(n, limited.left)));
          limited.left -= chunk.byteLength;
        }
        let written = 0;
        while (written < chunk.byteLength) written += await to.write(chunk.subarray(written));
        if (cuts) doomed.add(from);
      }
      if (!limited || limited.left === Infinity) to.closeWrite().catch(() => {});
    } catch {
      // a side closed: the other side is closed by close() or by its peer
    }
  }

  async function serve(): Promise<void> {
    for await (const client of listener) {
      let server: Deno.Conn;
      try {
        server = await Deno.connect(target);
      } catch {
        client.close();
        continue;
      }
      sockets.add(client).add(server);
      const limited = { left: budget };
      budgets.add(limited);
      pumps.push(pump(client, server), pump(server, client, limited));
    }
  }
  const serving = serve().catch(() => {});

  return {
    port: (listener.addr as Deno.NetAddr).port,
    stallAfter(bytes) {
      budget = bytes;
      for (const b of budgets) b.left = bytes;
    },
    get breaks() {
      return breaks;
    },
    breakAfter(text) {
      breakText = text;
    },
    resume() {
      budget = Infinity;
      for (const b of budgets) b.left = Infinity;
    },
    async close() {
      listener.close();
      for (const socket of sockets) closeQuietly(socket);
      await serving;
      await Promise.allSettled(pumps);
    },
  };
}
