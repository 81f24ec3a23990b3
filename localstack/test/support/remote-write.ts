/**
 * The smallest real Prometheus remote-write request (protocol 1.0): a protobuf WriteRequest,
 * snappy block-compressed. Hand-encoded for one test; k6 proves the same path with real load.
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 */

const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
};

/** A length-delimited field (wire type 2). */
const bytesField = (field: number, payload: Uint8Array | number[]): number[] => [(field << 3) | 2, ...varint(payload.length), ...payload];
const stringField = (field: number, text: string) => bytesField(field, [...Buffer.from(text, 'utf8')]);

function encodeSample(value: number, timestampMs: number): number[] {
  const double = Buffer.alloc(8);
  double.writeDoubleLE(value);
  return [(1 << 3) | 1, ...double, (2 << 3) | 0, ...varint(timestampMs)];
}

/** WriteRequest with one series and one sample. Labels are sorted by name, as the protocol requires. */
export function encodeWriteRequest(labels: Record<string, string>, value: number, timestampMs: number): Buffer {
  const labelFields = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, v]) => bytesField(1, [...stringField(1, name), ...stringField(2, v)]));
  const series = [...labelFields, ...bytesField(2, encodeSample(value, timestampMs))];
  return Buffer.from(bytesField(1, series));
}

/** Snappy block format with literals only (valid snappy, just not smaller): length, then literal chunks. */
export function snappyLiteral(data: Buffer): Buffer {
  const out: number[] = [...varint(data.length)];
  for (let offset = 0; offset < data.length; offset += 60) {
    const chunk = data.subarray(offset, offset + 60);
    out.push((chunk.length - 1) << 2, ...chunk); // tag: literal, length-1 in the upper six bits (< 60)
  }
  return Buffer.from(out);
}

/** POSTs one sample to `<prometheusUrl>/api/v1/write`; resolves the HTTP response. */
export function remoteWriteSample(prometheusUrl: string, labels: Record<string, string>, value: number, timestampMs = Date.now()): Promise<Response> {
  return fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: snappyLiteral(encodeWriteRequest(labels, value, timestampMs)),
  });
}
