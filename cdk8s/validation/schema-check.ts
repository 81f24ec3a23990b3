/**
 * Offline schema validation of every object: the kubernetes-models / prometheus-operator
 * validators (types, formats, required fields) plus the strict unknown-field check they lack.
 */
import { kindSpecOf } from './kinds.js';
import { type K8sObject, describeObject } from './manifests.js';
import { strictSchemas } from './type-schema.js';
import { unknownFields } from './unknown-fields.js';

/** One line per problem, each naming the object; empty when every object is valid. */
export function schemaProblems(objects: readonly K8sObject[]): string[] {
  const schemas = strictSchemas();
  return objects.flatMap((o) => {
    const spec = kindSpecOf(o.apiVersion, o.kind);
    if (!spec) return [`${describeObject(o)}: no schema for ${o.apiVersion} ${o.kind} (add it to cdk8s/validation/kinds.ts)`];
    const problems: string[] = [];
    try {
      spec.validate(o);
    } catch (err) {
      problems.push(`${describeObject(o)}: ${(err as Error).message}`);
    }
    const root = schemas.roots.get(`${o.apiVersion}/${o.kind}`);
    if (!root) throw new Error(`no strict schema built for ${o.apiVersion}/${o.kind}`);
    for (const path of unknownFields(o, root, schemas.definitions)) problems.push(`${describeObject(o)}: unknown field ${path}`);
    return problems;
  });
}
