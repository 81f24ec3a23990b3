import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { TIMESTAMPTZ_OID, isoFromTimestamptz } from '../src/db/timestamps.js';

const viaDate = (text: string) => (pg.types.getTypeParser(TIMESTAMPTZ_OID) as (t: string) => Date)(text).toISOString();

describe('isoFromTimestamptz(text)', () => {
  test('gives the ISO string of the instant, milliseconds truncated, for every fraction length', () => {
    const cases: Array<[string, string]> = [
      ['2026-11-24 21:33:52+00', '2026-11-24T21:33:52.000Z'],
      ['2026-11-24 21:33:52.5+00', '2026-11-24T21:33:52.500Z'],
      ['2026-11-24 21:33:52.04+00', '2026-11-24T21:33:52.040Z'],
      ['2026-11-24 21:33:52.048+00', '2026-11-24T21:33:52.048Z'],
      ['2026-11-24 21:33:52.0489+00', '2026-11-24T21:33:52.048Z'],
      ['2026-11-24 21:33:52.048999+00', '2026-11-24T21:33:52.048Z'],
      ['1999-12-31 23:59:59.999999+00', '1999-12-31T23:59:59.999Z'],
    ];
    for (const [text, iso] of cases) assert.equal(isoFromTimestamptz(text), iso, text);
  });
  test('agrees with pg parsing into a Date for many microsecond values', () => {
    for (let us = 0; us < 1_000_000; us += 7919) {
      const text = `2026-01-02 03:04:05.${String(us).padStart(6, '0').replace(/0+$/, '') || '0'}+00`.replace('.0+', '+');
      assert.equal(isoFromTimestamptz(text), viaDate(text), text);
    }
  });
  test('other shapes (another offset, infinity-free but odd text) fall back to pg parsing', () => {
    assert.equal(isoFromTimestamptz('2026-11-24 22:33:52.048+01'), '2026-11-24T21:33:52.048Z');
  });
});
