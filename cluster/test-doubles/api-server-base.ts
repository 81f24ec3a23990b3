/**
 * TEST DOUBLE plumbing shared by the Kubernetes API server doubles (no cluster can run here): an
 * HTTP server on 127.0.0.1 that, like kube-apiserver, requires the kubeconfig's bearer token and
 * removes the Authorization header once it has authenticated a request; that records every
 * request; that answers from a route table the double supplies, anything unrouted with a 404
 * Status naming it; and a kubeconfig whose context KIND.context points at it. The doubles built on
 * it: `api-server.ts` (the post-deploy check's cluster) and loadtest/test/kube-api-double.ts (Jobs
 * and pods of the load-test launcher).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KIND } from '../locations.js';

/** A request as a route sees it: after authentication, so without its Authorization header. */
export interface DoubleRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Route {
  /** Any method when absent. */
  readonly method?: string;
  /** Tested against the URL's path (without the query). */
  readonly path: RegExp;
  handle(res: http.ServerResponse, match: RegExpExecArray, req: DoubleRequest): void;
}

/** A route for `method` (`*`: any) on paths matching `path`. */
export const route = (method: string, path: RegExp, handle: Route['handle']): Route => ({ ...(method === '*' ? {} : { method }), path, handle });

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface ApiServerDouble {
  readonly url: string;
  readonly token: string;
  /** Every request as received (Authorization header included). */
  readonly requests: RecordedRequest[];
  /** A client configuration whose current context, KIND.context, points here. */
  kubeConfig(): KubeConfig;
  /** Writes `kubeConfig()` to `file` (mode 600); returns the path. */
  writeKubeconfig(file: string): Promise<string>;
  close(): Promise<void>;
}

export function sendJson(res: http.ServerResponse, code: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The `Status` object the API server answers errors with. */
export const statusBody = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

export async function startApiServerDouble(routes: readonly Route[]): Promise<ApiServerDouble> {
  const token = randomBytes(16).toString('hex');
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const raw = req.url ?? '/';
      requests.push({ method, path: raw, headers: { ...req.headers } });
      if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
      // kube-apiserver: "authorization header is not required anymore in case of a successful authentication"
      const headers = { ...req.headers };
      delete headers.authorization;
      const url = new URL(raw, 'http://double');
      for (const route of routes) {
        const match = !route.method || route.method === method ? route.path.exec(url.pathname) : null;
        if (match) return route.handle(res, match, { method, url, headers, body });
      }
      sendJson(res, 404, statusBody(404, 'NotFound', `the test double does not serve ${method} ${url.pathname}`));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = (): KubeConfig => {
    const config = new KubeConfig();
    config.loadFromOptions({
      // The client refuses plain HTTP unless told TLS is not verified: the double has no certificate.
      clusters: [{ name: KIND.context, server: url, skipTLSVerify: true }],
      users: [{ name: KIND.context, token }],
      contexts: [{ name: KIND.context, cluster: KIND.context, user: KIND.context }],
      currentContext: KIND.context,
    });
    return config;
  };

  return {
    url,
    token,
    requests,
    kubeConfig,
    async writeKubeconfig(file) {
      await writeFile(file, kubeConfig().exportConfig(), { mode: 0o600 });
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
