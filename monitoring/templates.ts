/**
 * Alert annotations written once, rendered three ways: as Prometheus templates in the rule file,
 * as the exact text promtool must see in a unit test (labels and value filled in), and as a
 * readable line for docs (`<instance>`).
 */

/** Prometheus template functions this project formats `$value` with. */
export type ValueFormat = 'humanize' | 'humanizePercentage' | 'humanizeDuration';

export interface TemplateContext {
  /** The value of one of the alert's labels. */
  label(name: string): string;
  /** The alert expression's value, formatted. */
  value(format: ValueFormat): string;
}

/** An annotation: fixed text, or text built from the alert's labels and value. */
export type Text = string | ((t: TemplateContext) => string);

export const renderText = (text: Text, context: TemplateContext): string => (typeof text === 'string' ? text : text(context));

/** What goes into the rule file: `{{ $labels.instance }}`, `{{ $value | humanize }}`. */
export const PROMETHEUS_TEMPLATE: TemplateContext = {
  label: (name) => `{{ $labels.${name} }}`,
  value: (format) => `{{ $value | ${format} }}`,
};

/** For docs and catalogues: `<instance>`, `<value>`. */
export const PLACEHOLDER_TEMPLATE: TemplateContext = {
  label: (name) => `<${name}>`,
  value: () => '<value>',
};

/**
 * The text Prometheus renders for a known alert instance: the labels it carries and the
 * formatted value. A label or format the case did not provide throws, so a test cannot assert
 * against a half-rendered annotation.
 */
export function renderedTemplate(labels: Readonly<Record<string, string>>, values: Readonly<Partial<Record<ValueFormat, string>>> = {}): TemplateContext {
  return {
    label(name) {
      const value = labels[name];
      if (value === undefined) throw new Error(`annotation uses label ${name}, which the expected alert does not carry (${JSON.stringify(labels)})`);
      return value;
    },
    value(format) {
      const value = values[format];
      if (value === undefined) throw new Error(`annotation formats $value with ${format}; give the expected text for it`);
      return value;
    },
  };
}
