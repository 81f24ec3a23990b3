/**
 * The Prometheus client's transport (toolkit/prometheus-api) over a `ServiceClient`: each request
 * goes through the API server's service proxy, so no port-forward is needed.
 */
import type { HttpTransport } from '../toolkit/prometheus-api/transport.js';
import type { ServiceClient } from './api-server.js';

export const serviceTransport = (client: ServiceClient): HttpTransport => ({
  label: `${client.label}, through the API server`,
  send: async ({ method, path, headers, body }) => {
    const { status, body: text } = await client.request({ method, path, headers, body });
    return { status, body: text };
  },
});
