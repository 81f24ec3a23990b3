import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ListeningServer {
  server: http.Server;
  port: number;
}

/** Starts an HTTP server and resolves with the bound port (port 0 picks a free one). */
export async function listen(handler: http.RequestListener, host: string, port: number): Promise<ListeningServer> {
  const server = http.createServer(handler);
  // Longer than typical proxy idle timeouts, so a proxy never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Stops accepting connections and waits for in-flight requests to finish. Idle keep-alive
 * sockets are closed as soon as they go idle; after `timeoutMs` the rest are cut.
 * Resolves true when everything finished in time.
 */
export async function drain(server: http.Server, timeoutMs: number): Promise<boolean> {
  if (!server.listening) return true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void closed.then(() => (done = true));
  while (!done && Date.now() < deadline) {
    server.closeIdleConnections();
    await Promise.race([closed, sleep(50)]);
  }
  if (!done) {
    server.closeAllConnections();
    await closed;
    return false;
  }
  return true;
}
