/** What each post-deploy check reports: one line per thing checked. */

/** `note`: worth showing, not a failure (an alert firing outside the project, for example). */
export type Level = 'ok' | 'fail' | 'note';

export interface Finding {
  /** The check's name, e.g. `prometheus-target`. */
  readonly check: string;
  readonly level: Level;
  /** One line: what was checked and what was found. */
  readonly detail: string;
}

export interface Check {
  readonly name: string;
  run(): Promise<Finding[]>;
}

export const ok = (check: string, detail: string): Finding => ({ check, level: 'ok', detail });
export const fail = (check: string, detail: string): Finding => ({ check, level: 'fail', detail });
export const note = (check: string, detail: string): Finding => ({ check, level: 'note', detail });
