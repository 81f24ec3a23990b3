/** Kubernetes objects as plain data, read from YAML (dist/, `helm template`) or synthesized by cdk8s. */
import { parseAllDocuments } from 'yaml';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function asK8sObject(value: unknown, where: string): K8sObject {
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isObject(value.metadata) || typeof value.metadata.name !== 'string') {
    throw new Error(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return value as K8sObject;
}

/** Every object of a multi-document YAML text; empty documents (Helm's `---` runs) are skipped. */
export function parseManifests(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${source} document ${i + 1}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [asK8sObject(value, `${source} document ${i + 1}`)];
  });
}

/** `Deployment items/items-api`: how problems name an object. */
export function describeObject(o: K8sObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** A deep copy to mutate in tests. */
export function cloneObjects(objects: readonly K8sObject[]): K8sObject[] {
  return structuredClone(objects) as K8sObject[];
}
