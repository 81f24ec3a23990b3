/**
 * The kwokctl configuration of the simulated cluster: every component from the binaries
 * `make sim-tools` built into ./bin (kwokctl downloads nothing), everything bound to 127.0.0.1,
 * and kwok told to give nodes and pods loopback addresses. kwok's defaults are a 0.0.0.0 bind and
 * pod IPs in 10.0.0.0/24: the API server dials node and pod IPs (logs, service proxy), and on these
 * machines nothing may ever send traffic to an address outside 127.0.0.0/8.
 */
import path from 'node:path';
import { stringify } from 'yaml';

/** The loopback addresses of the simulated cluster. */
export const SIM_NETWORK = {
  bindAddress: '127.0.0.1',
  /** Every node's InternalIP: the API server reaches kwok's kubelet API (logs, exec) there. */
  nodeIp: '127.0.0.1',
  /** Pod IPs: Endpoints, the API server's service proxy and Prometheus discovery see these. */
  podCidr: '127.10.0.0/16',
  /** ClusterIPs: virtual, never dialled by anything here, but kept in loopback all the same. */
  serviceCidr: '127.20.0.0/16',
} as const;

/** The binaries kwokctl runs, by the option naming each, and the file `make sim-tools` writes. */
export const SIM_BINARIES = {
  etcdBinary: 'etcd',
  kubeApiserverBinary: 'kube-apiserver',
  kubeControllerManagerBinary: 'kube-controller-manager',
  kubeSchedulerBinary: 'kube-scheduler',
  kubectlBinary: 'kubectl',
  kwokControllerBinary: 'kwok',
} as const;

/** Every binary the simulated cluster needs: kwokctl, what it runs, and the real prometheus-operator. */
export const SIM_TOOLS = ['kwokctl', ...Object.values(SIM_BINARIES), 'prometheus-operator'] as const;

interface ExtraArg {
  readonly key: string;
  readonly value: string;
}

const args = (pairs: Readonly<Record<string, string>>): ExtraArg[] => Object.entries(pairs).map(([key, value]) => ({ key, value }));

/** The KwokctlConfiguration document (config.kwok.x-k8s.io/v1alpha1) for binaries in `binDir`. */
export function kwokctlConfiguration(binDir: string) {
  const binaries = Object.fromEntries(Object.entries(SIM_BINARIES).map(([option, file]) => [option, path.join(binDir, file)]));
  return {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options: {
      runtime: 'binary',
      bindAddress: SIM_NETWORK.bindAddress,
      ...binaries,
    },
    componentsPatches: [
      // Later flags win: these override the empty --node-ip kwokctl passes and kwok's 10.0.0.0/24.
      { name: 'kwok-controller', extraArgs: args({ 'node-ip': SIM_NETWORK.nodeIp, cidr: SIM_NETWORK.podCidr }) },
      { name: 'kube-apiserver', extraArgs: args({ 'service-cluster-ip-range': SIM_NETWORK.serviceCidr }) },
      { name: 'kube-controller-manager', extraArgs: args({ 'service-cluster-ip-range': SIM_NETWORK.serviceCidr }) },
    ],
  };
}

export const kwokctlConfigYaml = (binDir: string): string =>
  `# Written by cluster/sim (make sim-up) for kwokctl --config; regenerated on every start.\n${stringify(kwokctlConfiguration(binDir))}`;
