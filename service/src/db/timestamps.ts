import pg from 'pg';

/** PostgreSQL's type id of `timestamptz`. */
export const TIMESTAMPTZ_OID = 1184;

const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID) as (text: string) => Date;

/**
 * Session settings under which `timestamptz` arrives as `YYYY-MM-DD HH:MM:SS[.ffffff]+00`, sent at
 * connection start-up, so the text can become JSON's ISO form without a `Date` in between.
 */
export const TIMESTAMP_SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO';

const UTC_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?\+00$/;

/**
 * `2026-11-24 21:33:52.048123+00` → `2026-11-24T21:33:52.048Z`: what `Date#toISOString` gives for
 * the same instant (milliseconds, truncated), from string slices. Anything else (another time
 * zone, `infinity`, a year past 9999) goes through pg's own parser.
 */
export function isoFromTimestamptz(text: string): string {
  if (!UTC_TEXT.test(text)) return parseTimestamptz(text).toISOString();
  const fraction = text.charCodeAt(19) === 46 /* . */ ? `${text.slice(20, text.length - 3)}00`.slice(0, 3) : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}

const asText = (text: string) => text;

/** Type parsers for the pool: `timestamptz` stays text (see `isoFromTimestamptz`); the rest as pg's defaults. */
export const POOL_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID ? asText : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
