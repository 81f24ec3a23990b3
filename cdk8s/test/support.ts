/** Synthesized objects for the tests: the applied app and the templates, from one password. */
import { Testing } from 'cdk8s';
import type { App } from 'cdk8s';
import { type ItemsAppProps, createItemsApp, createTemplatesApp } from '../app.js';
import type { K8sObject } from '../validation/manifests.js';

/** Test-only; real clusters get a random one from `make db-password`. */
export const TEST_PASSWORD = 'test-only-password-0123456789';

/** Every object of every chart (Testing.synth per chart), in apply order. */
export function synthApp(app: App): K8sObject[] {
  return app.charts.flatMap((chart) => Testing.synth(chart) as K8sObject[]);
}

export function synthesize(props: Partial<ItemsAppProps> = {}): { applied: K8sObject[]; templates: K8sObject[]; all: K8sObject[] } {
  const applied = synthApp(createItemsApp({ databasePassword: TEST_PASSWORD, ...props }));
  const templates = synthApp(createTemplatesApp(props.namespace ? { namespace: props.namespace } : {}));
  return { applied, templates, all: [...applied, ...templates] };
}

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Typed access for mutations and assertions: tests know the shape they built. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test mutations reach deep into objects of many kinds
export type Loose = any;
export const loose = (o: K8sObject): Loose => o;
