/**
 * Talking to the cluster through its API server with @kubernetes/client-node: the kubeconfig
 * context pinned to the kind cluster, and plain HTTP requests through the API server's service
 * proxy (`/api/v1/namespaces/<ns>/services/<scheme>:<name>:<port>/proxy/...`), which reaches
 * Prometheus and Grafana with no port-forward and no extra exposure.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** The files `loadFromDefault()` reads: those KUBECONFIG lists, else ~/.kube/config. */
const kubeconfigFiles = (): string[] => {
  const listed = (process.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  return listed.length > 0 ? listed : [path.join(homedir(), '.kube', 'config')];
};

/** What `loadKubeConfig` pins: a context, in a kubeconfig file of its own or the default ones. */
export interface KubeTarget {
  readonly context: string;
  /** A kubeconfig file of the target's own; undefined: KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig?: string;
  /** How to create the cluster, for the error when it is missing. @default '`make kind-up`' */
  readonly createWith?: string;
}

/**
 * The kubeconfig switched to the target's context (from the target's own file, else KUBECONFIG or
 * ~/.kube/config), or at its current context when no target is named; throws one line naming the
 * file and the fix when the file or the context is missing.
 */
export function loadKubeConfig(target?: KubeTarget): KubeConfig {
  const kc = new KubeConfig();
  if (target === undefined) {
    const where = process.env.KUBECONFIG ?? '~/.kube/config';
    // With no kubeconfig at all, client-node quietly falls back to http://localhost:8080.
    if (kubeconfigFiles().some((file) => existsSync(file))) kc.loadFromDefault();
    if (!kc.getCurrentCluster()) throw new Error(`no current Kubernetes context in ${where}: run \`make kind-up\` or set KUBECONFIG`);
    return kc;
  }
  const createWith = target.createWith ?? '`make kind-up`';
  if (target.kubeconfig !== undefined) {
    if (!existsSync(target.kubeconfig)) throw new Error(`no kubeconfig at ${target.kubeconfig}: is the cluster up? create it with ${createWith}`);
    kc.loadFromFile(target.kubeconfig);
  } else {
    kc.loadFromDefault();
  }
  if (!kc.getContextObject(target.context)) {
    const where = target.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    throw new Error(`kubeconfig ${where} has no context "${target.context}": create the cluster with ${createWith}`);
  }
  kc.setCurrentContext(target.context);
  return kc;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface ApiRequest {
  readonly method?: string;
  /** Path on the API server, starting with `/`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
}

/** One request to the API server with the context's credentials (client certificate or token). */
export async function apiServerRequest(kc: KubeConfig, request: ApiRequest): Promise<HttpResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" names no cluster`);
  const url = new URL(cluster.server.replace(/\/+$/, '') + request.path);
  const options: https.RequestOptions = {
    method: request.method ?? 'GET',
    headers: { accept: 'application/json', ...request.headers },
  };
  await kc.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
  const timeoutMs = request.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from the API server within ${timeoutMs / 1000}s`)));
    req.on('error', (error) => reject(new Error(`${options.method} ${url.origin}${request.path}: ${error.message}`)));
    req.end(request.body);
  });
}

export interface ServiceRef {
  readonly namespace: string;
  readonly service: string;
  /** Service port name (or number). */
  readonly port: string;
}

export const serviceProxyPath = (ref: ServiceRef, path: string): string =>
  `/api/v1/namespaces/${ref.namespace}/services/http:${ref.service}:${ref.port}/proxy${path}`;

/** An HTTP client for one Service, through the API server. */
export interface ServiceClient {
  /** `namespace/service`, for messages. */
  readonly label: string;
  request(request: ApiRequest): Promise<HttpResponse>;
}

export const serviceClient = (kc: KubeConfig, ref: ServiceRef): ServiceClient => ({
  label: `${ref.namespace}/${ref.service}`,
  request: (request) => apiServerRequest(kc, { ...request, path: serviceProxyPath(ref, request.path) }),
});

/**
 * The API server's own `Status` answer in a response body (JSON text, or as client-node keeps it
 * parsed), with its `message` ('' when it has none); undefined when the body is anything else,
 * such as an answer from a Service behind the API server's proxy.
 */
export function apiServerStatus(body: unknown): { readonly message: string } | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, message } = value as { kind?: unknown; message?: unknown };
  return kind === 'Status' ? { message: typeof message === 'string' ? message : '' } : undefined;
}
