/**
 * Where the Prometheus and Alertmanager binaries are, and what to install when they are not.
 * Debian packages Alertmanager as `prometheus-alertmanager` (binary of the same name); upstream
 * tarballs and Homebrew call it `alertmanager`: either is accepted.
 */
import { existsSync } from 'node:fs';
import { findTool } from '../toolkit/find-tool.js';

export type BinaryKind = 'prometheus' | 'alertmanager';

interface BinaryInfo {
  /** Names looked up on PATH (and in ./bin), first found wins. */
  readonly names: readonly string[];
  readonly debianPackage: string;
  readonly download: string;
}

export const BINARIES: Readonly<Record<BinaryKind, BinaryInfo>> = {
  prometheus: { names: ['prometheus'], debianPackage: 'prometheus', download: 'https://prometheus.io/download/#prometheus' },
  alertmanager: {
    names: ['alertmanager', 'prometheus-alertmanager'],
    debianPackage: 'prometheus-alertmanager',
    download: 'https://prometheus.io/download/#alertmanager',
  },
};

export class MissingBinaryError extends Error {
  override name = 'MissingBinaryError';
}

/** Absolute path of the binary, or a MissingBinaryError that says what to install. */
export function resolveBinary(kind: BinaryKind, override?: string): string {
  const info = BINARIES[kind];
  if (override !== undefined) {
    if (existsSync(override)) return override;
    throw new MissingBinaryError(`${kind} binary ${override} does not exist`);
  }
  for (const name of info.names) {
    const found = findTool(name);
    if (found) return found;
  }
  throw new MissingBinaryError(
    `${info.names.join(' or ')} not found on PATH: the local stack needs ${kind}. ` +
      `On Debian/Ubuntu: sudo apt-get install ${info.debianPackage}; elsewhere: ${info.download}`,
  );
}

/**
 * The tool names a test passes to `requireTools` (testing/tools.ts): the Alertmanager name that
 * exists here, or the Debian one, so a missing Alertmanager is reported by its package name.
 */
export function localStackToolNames(): string[] {
  const alertmanager = BINARIES.alertmanager.names.find((name) => findTool(name)) ?? BINARIES.alertmanager.debianPackage;
  return ['prometheus', alertmanager];
}
