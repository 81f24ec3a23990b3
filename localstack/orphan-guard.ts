/**
 * Keeps the stack's processes from outliving the process that started them. Two layers:
 * - an `exit` hook signals every tracked process when the owner exits normally or on an uncaught
 *   error (a failing test file, a crashing CLI);
 * - a tiny detached `sh` watchdog polls the owner once a second and, when the owner is gone (even
 *   killed with SIGKILL, when no hook can run), signals the pids listed in a file the guard keeps
 *   current. PostgreSQL matters most here: it never notices that its parent died.
 * Both only ever signal pids this stack started.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** SIGINT for PostgreSQL (fast shutdown: it ends its backends), SIGTERM for the rest. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

// $1 owner pid, $2 file of "pid SIGNAL" lines, $3 optional temp dir to remove once they have
// exited (up to 30 s). `kill -0` only tests that a process still exists.
const WATCHDOG = `
while kill -0 "$1" 2>/dev/null; do sleep 1; done
[ -f "$2" ] || exit 0
while read -r pid sig; do kill -s "$sig" "$pid" 2>/dev/null; done < "$2"
[ -n "$3" ] || exit 0
pids=$(cut -d' ' -f1 "$2"); i=0
while [ $i -lt 30 ]; do
  alive=; for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && break; i=$((i + 1)); sleep 1
done
rm -rf "$3"
`;

export class OrphanGuard {
  readonly #tracked = new Map<number, StopSignal>();
  readonly #watchdogPid: number | undefined;
  readonly #onExit = () => this.#signalAll();

  constructor(
    private readonly pidFile: string,
    /** A temp dir the watchdog removes after an abrupt end of the owner (never a user's data dir). */
    tempDir = '',
  ) {
    this.#write();
    const watchdog = spawn('sh', ['-c', WATCHDOG, 'local-stack-watchdog', String(process.pid), pidFile, tempDir], {
      detached: true, // its own process group: a Ctrl-C that stops the owner leaves it to clean up
      stdio: 'ignore',
    });
    watchdog.on('error', () => undefined); // no sh: the exit hook still works
    watchdog.unref();
    this.#watchdogPid = watchdog.pid;
    process.on('exit', this.#onExit);
  }

  track(pid: number, signal: StopSignal = 'SIGTERM'): void {
    this.#tracked.set(pid, signal);
    this.#write();
  }

  untrack(pid: number): void {
    this.#tracked.delete(pid);
    this.#write();
  }

  /** After a clean stop: ends the watchdog (and its `sleep`) and removes the exit hook. */
  dispose(): void {
    process.off('exit', this.#onExit);
    if (this.#watchdogPid) {
      try {
        process.kill(-this.#watchdogPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  #signalAll(): void {
    for (const [pid, signal] of this.#tracked) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }

  #write(): void {
    const lines = [...this.#tracked].map(([pid, signal]) => `${pid} ${signal.replace(/^SIG/, '')}\n`);
    writeFileSync(this.pidFile, lines.join(''));
  }
}
