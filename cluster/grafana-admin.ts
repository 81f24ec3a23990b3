/**
 * Grafana's admin credentials: a random password generated once, kept in a Secret that the Grafana
 * chart reads (values.yaml `grafana.admin.existingSecret`), never in a values file or on argv.
 */
import { randomBytes } from 'node:crypto';
import { APP_NAME } from '../project/constants.js';
import type { Kubectl } from './kubectl.js';
import { GRAFANA_ADMIN_SECRET } from './locations.js';

/** 24 random bytes, URL-safe base64: 32 characters, about 192 bits. */
export const generatePassword = (): string => randomBytes(24).toString('base64url');

export function grafanaAdminSecretManifest(password: string) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: GRAFANA_ADMIN_SECRET.name,
      namespace: GRAFANA_ADMIN_SECRET.namespace,
      labels: { 'app.kubernetes.io/part-of': APP_NAME, 'app.kubernetes.io/managed-by': 'make-kind-up' },
    },
    type: 'Opaque',
    stringData: { [GRAFANA_ADMIN_SECRET.userKey]: GRAFANA_ADMIN_SECRET.user, [GRAFANA_ADMIN_SECRET.passwordKey]: password },
  };
}

/**
 * Creates the Secret unless it exists. `kubectl create` (not apply) refuses to overwrite, so a
 * password, once generated, stays what Grafana was started with.
 */
export async function ensureGrafanaAdminSecret(
  kubectl: Kubectl,
  log: (line: string) => void,
  generate: () => string = generatePassword,
): Promise<'created' | 'existing'> {
  const { namespace, name } = GRAFANA_ADMIN_SECRET;
  const found = await kubectl(['-n', namespace, 'get', 'secret', name, '-o', 'name', '--ignore-not-found'], { capture: true });
  if (found.stdout.trim()) {
    log(`Secret ${namespace}/${name} exists: keeping the Grafana admin password`);
    return 'existing';
  }
  await kubectl(['create', '-f', '-'], { input: JSON.stringify(grafanaAdminSecretManifest(generate())) });
  log(`generated the Grafana admin password into Secret ${namespace}/${name}`);
  return 'created';
}
