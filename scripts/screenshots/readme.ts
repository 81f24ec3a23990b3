/**
 * screenshots/README.md, written by `make screenshots` from the catalogue and the facts of the
 * run: which images exist, what each shows, how they were made, and what the last run skipped.
 * `parseReadmeFiles` reads the image table back (for the test).
 */
import { RULE_EVALUATION_INTERVAL, SCRAPE } from '../../project/constants.js';
import { ERROR_RATE, FIRING_ALERT, SHOTS, type Shot } from './catalog.js';
import { GRAPH_EXPR } from './local-pages.js';

export const README_MARKER = '<!-- Written by `make screenshots` (scripts/screenshots/main.ts); do not edit by hand. -->';

/** How the run was set up; also printed by the script. */
export interface RunSettings {
  /** The rule file Prometheus loaded, relative to the repository. */
  readonly ruleFile: string;
  /** The firing alert's `for:` in it. */
  readonly alertFor: string;
  /** Prometheus' scrape and evaluation interval in the run. */
  readonly scrapeInterval: string;
  readonly viewport: { readonly width: number; readonly height: number };
}

export interface RunFacts {
  /** UTC date of the run, `YYYY-MM-DD`. */
  readonly date: string;
  readonly seconds: number;
  /** Tool versions seen in the run, e.g. `{ prometheus: '2.42.0' }`. */
  readonly versions: Readonly<Record<string, string>>;
  /** `taken`, or why the Grafana shots were not taken this time. */
  readonly grafana: 'taken' | { readonly skipped: string };
}

const row = (shot: Shot): string => `| [${shot.file}](${shot.file}) | ${shot.shows.replaceAll('|', '\\|')} |`;

/** The README; lists the shots whose PNG exists (`present`), in catalogue order. */
export function renderReadme(present: (file: string) => boolean, settings: RunSettings, facts: RunFacts): string {
  const listed = SHOTS.filter((shot) => present(shot.file));
  const versions = Object.entries(facts.versions)
    .map(([tool, version]) => `${tool} ${version}`)
    .join(', ');
  const earlierGrafana = listed.some((shot) => shot.source === 'cluster');
  const grafana =
    facts.grafana === 'taken'
      ? 'Grafana shots: taken from the kind cluster.'
      : `Grafana shots: not taken, no cluster was up (${facts.grafana.skipped})${earlierGrafana ? '; the `grafana-*.png` above are from an earlier run with a cluster' : ''}.`;
  return [
    README_MARKER,
    '# screenshots/',
    '',
    'Pictures of the real system, taken by a script from a real run; never drawn by hand. Regenerate them',
    'with `make screenshots` (about five minutes; needs prometheus, prometheus-alertmanager, chromium and',
    '`make tools` for k6).',
    '',
    '| image | shows |',
    '|---|---|',
    ...listed.map(row),
    '',
    '## How they are made',
    '',
    '`scripts/screenshots/main.ts` starts the local stack (`localstack/`: items-api, PostgreSQL, Prometheus,',
    `Alertmanager) with the committed rule file, \`${settings.ruleFile}\`, unchanged: the rules the cluster loads,`,
    `${FIRING_ALERT}'s \`for: ${settings.alertFor}\` included (the alerts page shows the rule and the file's path on the`,
    `machine of the run). Only the intervals are shorter: Prometheus scrapes and evaluates every ${settings.scrapeInterval} (in the`,
    `cluster every ${SCRAPE.interval} and ${RULE_EVALUATION_INTERVAL}). It sends steady CRUD traffic (with the usual share of 4xx), runs the k6 smoke profile`,
    `with remote write into that Prometheus, then injects ${ERROR_RATE * 100} % HTTP 500s until ${FIRING_ALERT} fires.`,
    `The graph plots \`${GRAPH_EXPR}\`; its target is the \`${SCRAPE.job}\` job scraped the way the ServiceMonitor does.`,
    '',
    `Chromium runs headless at ${settings.viewport.width}×${settings.viewport.height} with a fresh profile and no network beyond 127.0.0.1`,
    '(Swagger UI and the k6 report load nothing from the internet). Each capture waits for its content (a target',
    'up, a drawn series, a firing alert), and every PNG is checked (valid, plausible size) before it replaces the',
    'committed one; a failed run leaves this folder as it was. When the kind cluster `items-api` answers, the',
    'script also port-forwards Grafana, sends traffic to the cluster\'s items-api, logs in with the admin Secret',
    'and captures each project dashboard; otherwise it says that Grafana was skipped.',
    '',
    'Debian packages Prometheus 2.x with its classic UI (under `/classic`) and Alertmanager without a web UI,',
    "so the Alertmanager shot is its API v2 answer shown by Chromium's JSON viewer.",
    '',
    "In k6's report, the labels of the overview's leftmost axis (Request Failed, in %) are cut at its left edge.",
    'k6 draws them so: no request failed, so that axis spans 0 to 10000.0 %, and its labels are wider than the',
    'room the report leaves them. The capture cannot change that; the cut is the same at 1920 px wide.',
    '',
    '## Last run',
    '',
    `${facts.date}, ${Math.round(facts.seconds)} s; ${versions}.`,
    grafana,
    '',
  ].join('\n');
}

/** The image files the README's table lists, in order. */
export function parseReadmeFiles(markdown: string): string[] {
  return [...markdown.matchAll(/^\| \[([^\]]+\.png)\]\(([^)]+)\) \|/gm)].map((m) => {
    if (m[1] !== m[2]) throw new Error(`README row links ${m[2]} under the name ${m[1]}`);
    return m[1] as string;
  });
}
