import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** An incoming id is echoed only if it is short and plain; anything else could poison logs. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's `X-Request-Id` when acceptable, a new UUID otherwise. */
export function requestIdFor(incoming: string): string {
  return ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
