/**
 * Tool checks before anything touches Docker or a cluster: one line per missing tool, saying
 * where to get it, so a first `make kind-up` on a new machine fails in a second, not halfway.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The tools the cluster targets use, with where to get each. */
export const TOOL_HINTS = {
  docker: 'install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/',
  kind: 'install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/',
  helm: 'run `make tools` (pinned helm in ./bin) or see https://helm.sh/docs/intro/install/',
} as const;

export type Tool = keyof typeof TOOL_HINTS;

export const isTool = (name: string): name is Tool => Object.hasOwn(TOOL_HINTS, name);

/** The executable `name` would run as, searching `searchPath` like a shell does; undefined if none. */
export function findOnPath(name: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: keep looking
    }
  }
  return undefined;
}

/** One line per tool that `find` cannot locate; empty when all are there. */
export function missingToolLines(tools: readonly Tool[], find: (name: string) => string | undefined = findOnPath): string[] {
  return tools.filter((tool) => find(tool) === undefined).map((tool) => `missing tool: ${tool} is not on PATH (${TOOL_HINTS[tool]})`);
}
