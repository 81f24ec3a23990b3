/**
 * Is there a Prometheus at this URL that accepts remote write? Asked before a local run so k6
 * writes its metrics only where they can land, and says why when they cannot.
 */
export type RemoteWriteProbe =
  | { readonly ok: true; readonly writeUrl: string }
  | { readonly ok: false; readonly reason: string };

const PROBE_TIMEOUT_MS = 2_000;

export async function probeRemoteWrite(prometheusUrl: string, fetchFn: typeof fetch = fetch): Promise<RemoteWriteProbe> {
  const base = prometheusUrl.replace(/\/+$/, '');
  const ready = await fetchFn(`${base}/-/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
    (res) => res.ok,
    () => false,
  );
  if (!ready) return { ok: false, reason: `no Prometheus ready at ${base} (start one with \`make local-up\`)` };
  // An empty write carries no sample. Prometheus answers 404 only when the receiver is off;
  // with it on, the empty body is a 4xx decoding error (which is fine: the endpoint exists).
  const writeUrl = `${base}/api/v1/write`;
  const status = await fetchFn(writeUrl, { method: 'POST', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
    (res) => res.status,
    () => 0,
  );
  if (status === 404) return { ok: false, reason: `Prometheus at ${base} has its remote-write receiver off (--web.enable-remote-write-receiver)` };
  if (status === 0) return { ok: false, reason: `Prometheus at ${base} did not answer a remote-write probe` };
  return { ok: true, writeUrl };
}
