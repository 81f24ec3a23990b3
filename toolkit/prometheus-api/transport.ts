/**
 * How the Prometheus client reaches Prometheus: one HTTP request in, its status and body text
 * out. Two transports: `fetch-transport.ts` (a base URL on this machine) and
 * `kube-access/service-transport.ts` (the Kubernetes API server's service proxy).
 */

export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query string, starting with `/`: `/api/v1/targets?state=active`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface TransportAnswer {
  readonly status: number;
  readonly body: string;
}

export interface HttpTransport {
  /** Where the requests go, for messages: `http://127.0.0.1:9090`, `monitoring/prometheus, through the API server`. */
  readonly label: string;
  /** Any answer resolves, whatever its status; rejects with one line naming the request and why when no answer comes. */
  send(request: TransportRequest): Promise<TransportAnswer>;
}
