/**
 * Invariants that break real clusters while every object is schema-valid: each
 * one a named check over the whole set of objects, returning one line per violation. The same
 * table runs on the cdk8s output and on `helm template` output.
 */
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import type { IPrometheusRule, IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IProbe, IService } from 'kubernetes-models/v1';
import { type K8sObject, describeObject } from './manifests.js';
import { type Peer, type Protocol, connectionAllowed, ingressAllowed, namespaceLabels } from './network-paths.js';
import { type ContainerRef, type PodTemplate, containersOf, findContainerPort, podTemplates } from './pods.js';
import { type Labels, mapSelectorMatches, selectorMatches } from './selectors.js';
import type { StackSelection } from './stack-selection.js';

/** A connection that must be allowed, or must be refused, by the NetworkPolicies. */
export interface NetworkPath {
  readonly description: string;
  readonly from: Peer;
  /** Destination pods: those whose template labels include these. */
  readonly toLabels: Labels;
  /**
   * Set for pods outside the objects (cluster DNS, Prometheus), which are then pods of this
   * namespace with `toLabels`: only the source's egress policies decide.
   */
  readonly toNamespace?: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
}

export interface InvariantContext {
  /** What kube-prometheus-stack selects (stack-selection.ts). */
  readonly stack: StackSelection;
  /** Images built locally and loaded into kind: never pulled from a registry. */
  readonly localImages: readonly string[];
  /** Values that may appear only inside Secrets (the database password). */
  readonly secretValues: readonly string[];
  /** ServiceMonitor name -> the Service it must select (same namespace). */
  readonly expectedScrapes: Readonly<Record<string, string>>;
  /**
   * ServiceMonitor name -> the `job` its targets must get, whatever the release: the value of the
   * Service label its `jobLabel` names (without `jobLabel`, the Service name, which a release renames).
   */
  readonly expectedJobs: Readonly<Record<string, string>>;
  /** Deployment name -> the lowest `minReplicas` its HorizontalPodAutoscaler may have; each must have one. */
  readonly autoscaledDeployments: Readonly<Record<string, number>>;
  /** Connections the NetworkPolicies must allow (beyond the scrape paths, which are derived). */
  readonly requiredPaths: readonly NetworkPath[];
  /** Connections the NetworkPolicies must refuse. */
  readonly forbiddenPaths: readonly NetworkPath[];
}

export interface Invariant {
  readonly name: string;
  check(objects: readonly K8sObject[], ctx: InvariantContext): string[];
}

const ofKind = <T>(objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as unknown as (T & K8sObject)[];
const nsOf = (o: { metadata?: { namespace?: string } }) => o.metadata?.namespace ?? 'default';

function podsSelectedBy(pods: readonly PodTemplate[], namespace: string, selector: Labels | undefined): PodTemplate[] {
  return pods.filter((p) => p.namespace === namespace && mapSelectorMatches(selector, p.labels));
}

/** Services in the ServiceMonitor's namespace scope whose labels its selector matches. */
function servicesSelectedBy(objects: readonly K8sObject[], sm: IServiceMonitor & K8sObject): (IService & K8sObject)[] {
  const scope = sm.spec.namespaceSelector;
  const inScope = (ns: string) => (scope?.any ? true : scope?.matchNames?.length ? scope.matchNames.includes(ns) : ns === nsOf(sm));
  return ofKind<IService>(objects, 'Service').filter((s) => inScope(nsOf(s)) && selectorMatches(sm.spec.selector, s.metadata.labels ?? {}));
}

/** Number a Service port ends up on in the pod (named targetPort resolved in the pod template). */
function targetPortNumber(pod: PodTemplate, port: { port: number; targetPort?: number | string }): number | undefined {
  return findContainerPort(pod, port.targetPort ?? port.port);
}

/** Effective security settings of a container: container-level over pod-level. */
function hardeningProblems(ref: ContainerRef): string[] {
  const pod = ref.pod.spec.securityContext ?? {};
  const sc = ref.container.securityContext ?? {};
  const problems: string[] = [];
  if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) problems.push('runAsNonRoot is not true');
  const uid = sc.runAsUser ?? pod.runAsUser;
  if (uid === undefined || uid === 0) problems.push('runAsUser must be a non-zero numeric uid');
  if (sc.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
  if (sc.privileged) problems.push('privileged');
  if (sc.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem is not true');
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities do not drop ALL');
  if ((sc.capabilities?.add ?? []).length > 0) problems.push(`capabilities added: ${sc.capabilities?.add?.join(', ')}`);
  if ((sc.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault') problems.push('seccompProfile is not RuntimeDefault');
  return problems.map((p) => `${ref.where}: ${p}`);
}

function resourceProblems(ref: ContainerRef): string[] {
  const r = ref.container.resources;
  const missing = (['requests', 'limits'] as const).flatMap((kind) =>
    (['cpu', 'memory'] as const).filter((res) => r?.[kind]?.[res] === undefined).map((res) => `${kind}.${res}`),
  );
  return missing.length > 0 ? [`${ref.where}: no resources ${missing.join(', ')}`] : [];
}

/** Init containers and Job containers run to completion: the API forbids or ignores probes there. */
function probeProblems(ref: ContainerRef): string[] {
  if (ref.init || !ref.pod.longRunning) return [];
  const c: IContainer = ref.container;
  const missing = (['livenessProbe', 'readinessProbe', 'startupProbe'] as const).filter((p) => !c[p]);
  return missing.length > 0 ? [`${ref.where}: no ${missing.join(', ')}`] : [];
}

/** An image reference's tag (after the last `/`), or undefined. */
function imageTag(image: string): string | undefined {
  const last = image.slice(image.lastIndexOf('/') + 1);
  const at = last.indexOf('@');
  if (at >= 0) return last.slice(at + 1);
  const colon = last.indexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|_PASS$)/i;
/** `scheme://user:password@host` with a literal password (a `$(VAR)` reference is fine). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:(?!\$\()[^@\s]+@/i;

export const INVARIANTS: readonly Invariant[] = [
  {
    name: 'Service selectors match pod template labels and target existing container ports',
    check(objects) {
      const pods = podTemplates(objects);
      return ofKind<IService>(objects, 'Service').flatMap((svc) => {
        const selected = podsSelectedBy(pods, nsOf(svc), svc.spec?.selector);
        if (selected.length === 0) return [`${describeObject(svc)}: selector ${JSON.stringify(svc.spec?.selector ?? {})} matches no pod template`];
        return (svc.spec?.ports ?? []).flatMap((port) =>
          selected
            .filter((pod) => targetPortNumber(pod, port) === undefined)
            .map((pod) => `${describeObject(svc)}: port ${port.name ?? port.port} targets ${port.targetPort ?? port.port}, which ${pod.owner} does not expose`),
        );
      });
    },
  },
  {
    name: 'workload, PodDisruptionBudget and NetworkPolicy selectors select pods',
    check(objects) {
      const pods = podTemplates(objects);
      const own = objects.flatMap((o) => {
        const spec = (o as { spec?: { selector?: ILabelSelector; template?: { metadata?: { labels?: Labels } } } }).spec;
        if (!spec?.template || !spec.selector || o.kind === 'Job') return [];
        return selectorMatches(spec.selector, spec.template.metadata?.labels ?? {}) ? [] : [`${describeObject(o)}: spec.selector does not match its own pod template`];
      });
      const selecting = objects.flatMap((o) => {
        const spec = (o as { spec?: { selector?: ILabelSelector; podSelector?: ILabelSelector } }).spec;
        const selector = o.kind === 'PodDisruptionBudget' ? spec?.selector : o.kind === 'NetworkPolicy' ? spec?.podSelector : undefined;
        if (!selector) return [];
        const hits = pods.filter((p) => p.namespace === nsOf(o) && selectorMatches(selector, p.labels));
        return hits.length > 0 ? [] : [`${describeObject(o)}: selects no pod template (it would protect nothing)`];
      });
      return [...own, ...selecting];
    },
  },
  {
    name: 'ServiceMonitors select their Service and name a port it has',
    check(objects, ctx) {
      const monitors = ofKind<IServiceMonitor>(objects, 'ServiceMonitor');
      const missing = Object.keys(ctx.expectedScrapes)
        .filter((name) => !monitors.some((sm) => sm.metadata.name === name))
        .map((name) => `ServiceMonitor ${name} is missing`);
      return [
        ...missing,
        ...monitors.flatMap((sm) => {
          const services = servicesSelectedBy(objects, sm);
          const expected = ctx.expectedScrapes[sm.metadata.name];
          const problems: string[] = [];
          if (services.length === 0) problems.push(`${describeObject(sm)}: selects no Service`);
          if (expected && !(services.length === 1 && services[0]?.metadata.name === expected)) {
            problems.push(`${describeObject(sm)}: must select exactly Service ${expected}, selects [${services.map((s) => s.metadata.name).join(', ')}]`);
          }
          for (const endpoint of sm.spec.endpoints ?? []) {
            if (!endpoint.port) problems.push(`${describeObject(sm)}: endpoint without a port name`);
            for (const svc of services) {
              if (endpoint.port && !(svc.spec?.ports ?? []).some((p) => p.name === endpoint.port)) {
                problems.push(`${describeObject(sm)}: Service ${svc.metadata.name} has no port named "${endpoint.port}"`);
              }
            }
          }
          return problems;
        }),
      ];
    },
  },
  {
    name: 'kube-prometheus-stack selects the ServiceMonitors and PrometheusRules',
    check(objects, ctx) {
      const check = (o: K8sObject, selector: StackSelection['ruleSelector'], nsSelector: StackSelection['ruleNamespaceSelector']) => {
        const problems: string[] = [];
        if (!selectorMatches(selector, o.metadata.labels ?? {})) problems.push(`${describeObject(o)}: labels do not match Prometheus' selector ${JSON.stringify(selector)}`);
        if (nsSelector && !selectorMatches(nsSelector, namespaceLabels(objects, nsOf(o)))) problems.push(`${describeObject(o)}: namespace not selected by ${JSON.stringify(nsSelector)}`);
        return problems;
      };
      return [
        ...ofKind<IServiceMonitor>(objects, 'ServiceMonitor').flatMap((o) => check(o, ctx.stack.serviceMonitorSelector, ctx.stack.serviceMonitorNamespaceSelector)),
        ...ofKind<IPrometheusRule>(objects, 'PrometheusRule').flatMap((o) => check(o, ctx.stack.ruleSelector, ctx.stack.ruleNamespaceSelector)),
      ];
    },
  },
  {
    name: 'dashboard ConfigMaps carry the Grafana sidecar label and folder annotation',
    check(objects, ctx) {
      const { label, labelValue, searchNamespaces, folderAnnotation } = ctx.stack.dashboards;
      const isDashboard = (value: string) => {
        try {
          const parsed = JSON.parse(value) as { panels?: unknown; uid?: unknown };
          return Array.isArray(parsed.panels) && typeof parsed.uid === 'string';
        } catch {
          return false;
        }
      };
      return ofKind<IConfigMap>(objects, 'ConfigMap')
        .filter((cm) => Object.entries(cm.data ?? {}).some(([key, value]) => key.endsWith('.json') && isDashboard(value)))
        .flatMap((cm) => {
          const problems: string[] = [];
          if (cm.metadata.labels?.[label] !== labelValue) problems.push(`${describeObject(cm)}: holds a dashboard without label ${label}=${labelValue}`);
          if (searchNamespaces !== 'ALL' && !searchNamespaces.includes(nsOf(cm))) problems.push(`${describeObject(cm)}: the sidecar does not search namespace ${nsOf(cm)}`);
          if (folderAnnotation && !cm.metadata.annotations?.[folderAnnotation]) problems.push(`${describeObject(cm)}: no ${folderAnnotation} annotation (the folder)`);
          return problems;
        });
    },
  },
  {
    name: 'images are kind-loadable: pinned tags, never pulled when built locally',
    check(objects, ctx) {
      return containersOf(podTemplates(objects)).flatMap(({ container, where }) => {
        const problems: string[] = [];
        const image = container.image ?? '';
        const tag = imageTag(image);
        if (!tag || tag === 'latest') problems.push(`${where}: image ${image} must carry a pinned tag (not latest)`);
        const policy = container.imagePullPolicy;
        if (ctx.localImages.includes(image) && policy !== 'IfNotPresent' && policy !== 'Never') {
          problems.push(`${where}: ${image} is kind-loaded, imagePullPolicy must be IfNotPresent (is ${policy ?? 'unset'})`);
        }
        if (policy === 'Always') problems.push(`${where}: imagePullPolicy Always re-pulls pinned images on every start`);
        return problems;
      });
    },
  },
  {
    name: 'no secret value outside Secrets (ConfigMaps, env literals, anywhere else)',
    check(objects, ctx) {
      const leaks = objects
        .filter((o) => o.kind !== 'Secret')
        .flatMap((o) => {
          const text = JSON.stringify(o);
          return ctx.secretValues.filter((v) => v.length > 0 && text.includes(v)).map(() => `${describeObject(o)}: contains a secret value`);
        });
      const literals = containersOf(podTemplates(objects)).flatMap(({ container, where }) =>
        (container.env ?? []).flatMap((env) => {
          if (env.value === undefined) return [];
          if (SECRET_ENV_NAME.test(env.name)) return [`${where}: env ${env.name} is a literal; take it from a Secret (valueFrom.secretKeyRef)`];
          if (URL_WITH_PASSWORD.test(env.value)) return [`${where}: env ${env.name} holds a URL with a literal password`];
          return [];
        }),
      );
      return [...leaks, ...literals];
    },
  },
  {
    name: 'every container is hardened and sized; long-running ones have probes',
    check(objects) {
      return containersOf(podTemplates(objects)).flatMap((ref) => [...hardeningProblems(ref), ...resourceProblems(ref), ...probeProblems(ref)]);
    },
  },
  {
    name: 'NetworkPolicies keep the scrape path open from the monitoring namespace',
    check(objects, ctx) {
      const pods = podTemplates(objects);
      const prometheus: Peer = { namespace: ctx.stack.prometheusNamespace, labels: { 'app.kubernetes.io/name': 'prometheus' } };
      return ofKind<IServiceMonitor>(objects, 'ServiceMonitor').flatMap((sm) =>
        servicesSelectedBy(objects, sm).flatMap((svc) =>
          (sm.spec.endpoints ?? []).flatMap((endpoint) => {
            const port = (svc.spec?.ports ?? []).find((p) => p.name === endpoint.port);
            if (!port) return [];
            return podsSelectedBy(pods, nsOf(svc), svc.spec?.selector).flatMap((pod) => {
              const target = targetPortNumber(pod, port);
              return target !== undefined && !ingressAllowed(objects, prometheus, pod, target)
                ? [`${describeObject(sm)}: NetworkPolicies block Prometheus (${ctx.stack.prometheusNamespace}) from ${pod.owner} port ${target}`]
                : [];
            });
          }),
        ),
      );
    },
  },
  {
    name: 'NetworkPolicies allow the required connections and refuse the forbidden ones',
    check(objects, ctx) {
      const pods = podTemplates(objects);
      const evaluate = (path: NetworkPath, wanted: boolean) => {
        const protocol = path.protocol ?? 'TCP';
        const verdict = wanted ? 'blocked' : 'allowed';
        if (path.toNamespace !== undefined) {
          const outside: Peer = { namespace: path.toNamespace, labels: path.toLabels };
          return connectionAllowed(objects, path.from, outside, path.port, protocol) === wanted
            ? []
            : [`${path.description}: ${verdict} (${path.toNamespace} pods ${JSON.stringify(path.toLabels)} ${protocol} ${path.port})`];
        }
        const targets = pods.filter((p) => Object.entries(path.toLabels).every(([k, v]) => p.labels[k] === v));
        if (targets.length === 0) return [`${path.description}: no pod template has labels ${JSON.stringify(path.toLabels)}`];
        return targets
          .filter((pod) => connectionAllowed(objects, path.from, pod, path.port, protocol) !== wanted)
          .map((pod) => `${path.description}: ${verdict} (${pod.owner} ${protocol === 'TCP' ? '' : `${protocol} `}port ${path.port})`);
      };
      return [...ctx.requiredPaths.flatMap((p) => evaluate(p, true)), ...ctx.forbiddenPaths.flatMap((p) => evaluate(p, false))];
    },
  },
  {
    name: 'ServiceMonitors take the job label from a Service label the release does not change',
    check(objects, ctx) {
      return ofKind<IServiceMonitor>(objects, 'ServiceMonitor').flatMap((sm) => {
        const jobLabel = sm.spec.jobLabel;
        const expected = ctx.expectedJobs[sm.metadata.name];
        const problems: string[] = [];
        if (expected !== undefined && !jobLabel) {
          problems.push(`${describeObject(sm)}: no jobLabel, so job is the Service name, which follows the release name; the rules select job="${expected}"`);
        }
        for (const svc of servicesSelectedBy(objects, sm)) {
          const value = jobLabel ? svc.metadata.labels?.[jobLabel] : undefined;
          if (jobLabel && value === undefined) problems.push(`${describeObject(sm)}: jobLabel ${jobLabel} is not a label of Service ${svc.metadata.name} (job falls back to the Service name)`);
          // What Prometheus' `job` becomes: the operator's relabelling, label value else Service name.
          const job = value ?? svc.metadata.name;
          if (expected !== undefined && job !== expected) problems.push(`${describeObject(sm)}: targets of Service ${svc.metadata.name} get job="${job}", the rules select job="${expected}"`);
        }
        return problems;
      });
    },
  },
  {
    name: 'HorizontalPodAutoscalers own the replica count of the Deployment they scale',
    check(objects, ctx) {
      const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
      const deployments = ofKind<IDeployment>(objects, 'Deployment');
      const pods = podTemplates(objects);
      const missing = Object.keys(ctx.autoscaledDeployments)
        .filter((name) => !hpas.some((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === name))
        .map((name) => `Deployment ${name} has no HorizontalPodAutoscaler`);
      return [
        ...missing,
        ...hpas.flatMap((hpa) => {
          const ref = hpa.spec?.scaleTargetRef;
          const target = deployments.find((d) => ref?.kind === 'Deployment' && ref.apiVersion === 'apps/v1' && d.metadata.name === ref.name && nsOf(d) === nsOf(hpa));
          if (!target) return [`${describeObject(hpa)}: scaleTargetRef ${JSON.stringify(ref)} names no Deployment of its namespace`];
          const problems: string[] = [];
          const min = hpa.spec?.minReplicas ?? 1;
          const floor = ctx.autoscaledDeployments[target.metadata.name];
          if (floor !== undefined && min < floor) problems.push(`${describeObject(hpa)}: minReplicas ${min} is below ${floor}`);
          if (target.spec?.replicas !== undefined) {
            problems.push(`${describeObject(target)}: sets spec.replicas while ${describeObject(hpa)} scales it (server-side apply then conflicts with kube-controller-manager); drop replicas`);
          }
          const usesCpuUtilization = (hpa.spec?.metrics ?? []).some((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization');
          const template = pods.find((p) => p.owner === describeObject(target));
          if (usesCpuUtilization && template) {
            for (const c of template.spec.containers) {
              if (c.resources?.requests?.cpu === undefined) problems.push(`${describeObject(hpa)}: container ${c.name} has no CPU request, so CPU utilization is undefined`);
            }
          }
          for (const pdb of ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget')) {
            const covers = template && nsOf(pdb) === template.namespace && selectorMatches(pdb.spec?.selector, template.labels);
            const minAvailable = pdb.spec?.minAvailable;
            if (covers && typeof minAvailable === 'number' && minAvailable >= min) {
              problems.push(`${describeObject(pdb)}: minAvailable ${minAvailable} is not below minReplicas ${min} of ${describeObject(hpa)}: no node could be drained`);
            }
          }
          return problems;
        }),
      ];
    },
  },
  {
    name: 'Deployments that can run several pods spread them over nodes',
    check(objects) {
      const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
      return ofKind<IDeployment>(objects, 'Deployment').flatMap((d) => {
        const hpa = hpas.find((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name && nsOf(h) === nsOf(d));
        const most = hpa?.spec?.maxReplicas ?? d.spec?.replicas ?? 1;
        if (most < 2) return [];
        const podLabels = d.spec?.template.metadata?.labels ?? {};
        const spread = (d.spec?.template.spec?.topologySpreadConstraints ?? []).find((c) => c.topologyKey === 'kubernetes.io/hostname');
        if (!spread) return [`${describeObject(d)}: runs up to ${most} pods without a topologySpreadConstraint on kubernetes.io/hostname (one node can take them all)`];
        const problems: string[] = [];
        const where = `${describeObject(d)}: the spread over kubernetes.io/hostname`;
        if (spread.maxSkew !== 1) problems.push(`${where} has maxSkew ${spread.maxSkew}, not 1`);
        if (spread.whenUnsatisfiable !== 'DoNotSchedule') problems.push(`${where} is ${spread.whenUnsatisfiable}, not DoNotSchedule (a preference stacks pods on one node)`);
        if (spread.nodeTaintsPolicy !== 'Honor') {
          problems.push(`${where} has nodeTaintsPolicy ${spread.nodeTaintsPolicy ?? 'unset (Ignore)'}, not Honor: the tainted control-plane node counts as an empty domain and blocks the second pod`);
        }
        if (!selectorMatches(spread.labelSelector, podLabels)) problems.push(`${where}: labelSelector does not select the Deployment's own pods`);
        if (!(spread.matchLabelKeys ?? []).includes('pod-template-hash')) problems.push(`${where}: matchLabelKeys lacks pod-template-hash (old and new pods of a rollout would skew each other)`);
        return problems;
      });
    },
  },
  {
    name: 'liveness probes check something other than readiness',
    check(objects) {
      // The check itself, not its timing: a liveness copy of a readiness check restarts a container
      // whenever it is merely not ready (a dependency down, a recovery), and restarts never help there.
      const action = (p: IProbe) => JSON.stringify({ exec: p.exec, httpGet: p.httpGet, tcpSocket: p.tcpSocket, grpc: p.grpc });
      return containersOf(podTemplates(objects)).flatMap(({ container, where }) => {
        const { livenessProbe: liveness, readinessProbe: readiness } = container;
        return liveness && readiness && action(liveness) === action(readiness) ? [`${where}: the liveness probe repeats the readiness check ${action(readiness)}`] : [];
      });
    },
  },
];

/** Every violation of every invariant, prefixed with the invariant's name. */
export function invariantProblems(objects: readonly K8sObject[], ctx: InvariantContext): string[] {
  return INVARIANTS.flatMap((inv) => inv.check(objects, ctx).map((problem) => `[${inv.name}] ${problem}`));
}
