/**
 * What the post-deploy check expects to find, taken from the project's own catalogues when they
 * exist: alert names (`ALERTS`) and rule group names (`ruleGroups()`) from monitoring/index.ts,
 * dashboards (`DASHBOARDS`) from k8s-dashboards/index.ts. Without a catalogue the check falls back
 * to what it can tell without one (groups from the project's namespace, dashboards in its folder).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface ProjectExpectations {
  readonly alertNames?: readonly string[];
  readonly ruleGroupNames?: readonly string[];
  readonly dashboards?: readonly { readonly uid: string; readonly title: string }[];
}

type Module = Record<string, unknown>;

async function importIfPresent(root: string, relative: string): Promise<Module | undefined> {
  const file = path.join(root, relative);
  if (!existsSync(file)) return undefined;
  return (await import(pathToFileURL(file).href)) as Module;
}

/** `value` as an array of objects with string fields `fields`; throws naming `what` if it is not. */
function records<K extends string>(value: unknown, what: string, fields: readonly K[]): Record<K, string>[] | undefined {
  if (value === undefined) return undefined;
  const valid =
    Array.isArray(value) &&
    value.every((item: unknown) => typeof item === 'object' && item !== null && fields.every((f) => typeof (item as Record<string, unknown>)[f] === 'string'));
  if (!valid) throw new Error(`${what}: expected an array of { ${fields.map((f) => `${f}: string`).join(', ')} }`);
  return value as Record<K, string>[];
}

function ruleGroupNames(monitoring: Module | undefined): string[] | undefined {
  const ruleGroups = monitoring?.ruleGroups;
  if (ruleGroups === undefined) return undefined;
  if (typeof ruleGroups !== 'function') throw new Error('monitoring/index.ts ruleGroups: expected a function returning { name: string }[]');
  return records((ruleGroups as () => unknown)(), 'monitoring/index.ts ruleGroups()', ['name'])?.map((g) => g.name);
}

export async function loadProjectExpectations(root: string = ROOT): Promise<ProjectExpectations> {
  const monitoring = await importIfPresent(root, 'monitoring/index.ts');
  const dashboards = await importIfPresent(root, 'k8s-dashboards/index.ts');
  return {
    alertNames: records(monitoring?.ALERTS, 'monitoring/index.ts ALERTS', ['name'])?.map((a) => a.name),
    ruleGroupNames: ruleGroupNames(monitoring),
    dashboards: records(dashboards?.DASHBOARDS, 'k8s-dashboards/index.ts DASHBOARDS', ['uid', 'title'])?.map(({ uid, title }) => ({ uid, title })),
  };
}
