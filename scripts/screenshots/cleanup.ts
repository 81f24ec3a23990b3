import { errorMessage } from '../../toolkit/error-message.js';

/**
 * What a run has started, stopped again in reverse order, each step once, on success, on failure
 * and on Ctrl-C alike. A failing step does not keep the others from running.
 */
export class Cleanup {
  readonly #steps: Array<{ readonly what: string; readonly run: () => Promise<unknown> }> = [];
  #running: Promise<string[]> | undefined;

  /** Registers `run` (stopping `what`); runs last-in first-out. */
  push(what: string, run: () => Promise<unknown>): void {
    if (this.#running) throw new Error(`cleanup already started; cannot register "${what}"`);
    this.#steps.push({ what, run });
  }

  /** Runs every step; resolves the failures as `what: message` lines. Idempotent. */
  run(): Promise<string[]> {
    return (this.#running ??= (async () => {
      const failures: string[] = [];
      for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
        await step.run().catch((error: unknown) => failures.push(`${step?.what}: ${errorMessage(error)}`));
      }
      return failures;
    })());
  }
}
