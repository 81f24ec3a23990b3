/** Label selector matching as the API server does it (matchLabels AND every matchExpression). */
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';

export type Labels = Readonly<Record<string, string>>;

export function selectorMatches(selector: ILabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(value as string);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(value as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`unknown label selector operator ${e.operator}`);
    }
  });
  return byLabels && byExpressions;
}

/** A Service's `spec.selector` (a plain map): every pair must be present; an empty map selects nothing. */
export function mapSelectorMatches(selector: Labels | undefined, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
