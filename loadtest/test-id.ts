import type { ProfileName } from './k6/profiles.js';

/** Test ids: the `testid` tag on every k6 series, and part of Job names. */
export const TEST_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** A fresh test id: profile and UTC time, e.g. `light-20250102-130405`. */
export function newTestId(profile: ProfileName, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${profile}-${stamp}`;
}

/** Throws when `testId` cannot name a Job or be a label value. */
export function checkTestId(testId: string): void {
  if (!TEST_ID_PATTERN.test(testId)) {
    throw new Error(`test id "${testId}" must be 1-40 characters of a-z, 0-9 and '-', starting and ending alphanumeric (it names Jobs and labels)`);
  }
}
