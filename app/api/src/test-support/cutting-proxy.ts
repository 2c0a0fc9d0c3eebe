import net from 'node:net';

/**
 * A TCP proxy between the api and PostgreSQL that can lose one COMMIT's answer: armed, it lets
 * the next COMMIT that follows a statement matching `after` reach the server, then cuts the
 * client's connection before the server's reply comes back — the ambiguous failure a database
 * failover produces (the transaction committed, the client never heard). Real bytes, real
 * server: nothing about the database is simulated.
 */
export interface CuttingProxy {
  port: number;
  /** Lose the answer of the next COMMIT on a connection that has sent `after`. */
  armCommitCut(after: RegExp): void;
  /** How many answers were lost so far. */
  readonly cuts: number;
  /** Holds every byte sent to the server (a leader that stopped answering) until `release`. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: { host: string; port: number }) {
  let armed: RegExp | null = null;
  let cuts = 0;
  let held: (() => void)[] | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let sawStatement = false;
    let cut = false;
    client.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      if (armed && armed.test(text)) sawStatement = true;
      if (held) {
        held.push(() => upstream.write(chunk));
        return;
      }
      upstream.write(chunk);
      if (armed && sawStatement && /COMMIT/.test(text)) {
        armed = null;
        cut = true;
        cuts++;
        // The COMMIT is on its way to the server; the client never hears how it went.
        client.destroy();
        setTimeout(() => upstream.end(), 500);
      }
    });
    upstream.on('data', (chunk) => {
      if (!cut) client.write(chunk);
    });
    const done = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', () => {
      done();
      if (!cut) upstream.destroy();
    });
    upstream.on('close', () => {
      done();
      client.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const proxy: CuttingProxy = {
    port: (server.address() as net.AddressInfo).port,
    armCommitCut(after) {
      armed = after;
    },
    get cuts() {
      return cuts;
    },
    hold() {
      held ??= [];
    },
    release() {
      const queued = held ?? [];
      held = null;
      for (const send of queued) send();
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  return proxy;
}
