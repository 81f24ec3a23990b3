/** How to reach the stack: the port-forward table and the Grafana login, printed by `make kind-up`. */
import { formatTable } from '../toolkit/text-table.js';
import type { GrafanaCredentials } from './checks/grafana.js';
import { GRAFANA_ADMIN_SECRET, KIND, PORT_FORWARDS } from './locations.js';

export function accessLines(credentials: GrafanaCredentials | undefined): string[] {
  const { namespace, name, passwordKey } = GRAFANA_ADMIN_SECRET;
  const login = credentials
    ? `Grafana login: ${credentials.user} / ${credentials.password}`
    : `Grafana password: kubectl --context ${KIND.context} -n ${namespace} get secret ${name} -o jsonpath='{.data.${passwordKey}}' | base64 -d`;
  return [
    '',
    `The stack runs in kind cluster "${KIND.name}" (kubectl context ${KIND.context}).`,
    'Run `make port-forward` (one Ctrl-C stops it), then open:',
    '',
    ...formatTable(
      ['service', 'URL', 'forwards to'],
      PORT_FORWARDS.map((f) => [f.name, `http://localhost:${f.localPort}${f.path}`, `svc/${f.service} port ${f.servicePort} in ${f.namespace}`]),
    ),
    '',
    `${login}   (kept in Secret ${namespace}/${name})`,
  ];
}
