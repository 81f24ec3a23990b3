/** What each post-deploy check reports: one line per thing checked. */

/**
 * `note`: worth showing, not a failure (an alert firing outside the project, for example).
 * `unchecked`: this cluster cannot answer the check (in the simulated cluster no pod runs, so
 * nothing inside Prometheus or Grafana can be asked); reported by name, never counted as a pass.
 */
export type Level = 'ok' | 'fail' | 'note' | 'unchecked';

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
export const unchecked = (check: string, detail: string): Finding => ({ check, level: 'unchecked', detail });

/** A check this cluster cannot answer: one `unchecked` finding saying why, never a pass. */
export const notCheckable = (name: string, why: string): Check => ({ name, run: async () => [unchecked(name, `not checkable here: ${why}`)] });
