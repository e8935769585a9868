import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// deploy/prometheus/alerts.yaml and deploy/grafana/lien-dashboard.json may only use the series Lien exposes
// (names and labels below, as the metrics module registers them), so a renamed metric cannot silently blind them.
jest.setTimeout(30_000);

const deploy = path.resolve(__dirname, '../../../deploy');

/** Lien's series and their labels ("instance" and "job" are added by Prometheus). */
const METRICS: Record<string, { type: 'counter' | 'gauge' | 'histogram'; labels: string[] }> = {
  lien_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'status_code'] },
  lien_queue_jobs: { type: 'gauge', labels: ['queue', 'state'] },
  lien_queue_oldest_waiting_age_seconds: { type: 'gauge', labels: ['queue'] },
  lien_sms_sent_total: { type: 'counter', labels: ['outcome'] },
  lien_sms_send_lateness_seconds: { type: 'histogram', labels: [] },
  lien_alerts_opened_total: { type: 'counter', labels: ['severity'] },
  lien_alert_deadlines_missed_total: { type: 'counter', labels: [] },
  lien_questionnaire_submissions_total: { type: 'counter', labels: [] },
  lien_db_pool_connections: { type: 'gauge', labels: ['state'] },
  lien_nodejs_eventloop_lag_seconds: { type: 'gauge', labels: [] },
  lien_ready: { type: 'gauge', labels: ['component'] },
};
const LABEL_VALUES: Record<string, string[]> = {
  state: ['waiting', 'active', 'delayed', 'failed', 'completed', 'total', 'idle'],
  outcome: ['accepted', 'delivered', 'failed', 'undelivered', 'unknown'],
  severity: ['urgent', 'high', 'moderate', 'low'],
  component: ['postgres', 'redis', 'migrations', 'queues'],
};

/** The series name a PromQL selector names, with its metric family (histograms expose _bucket, _sum, _count). */
function familyOf(series: string): string | undefined {
  if (METRICS[series]) return series;
  const match = /^(.*)_(bucket|sum|count)$/.exec(series);
  return match && METRICS[match[1]!]?.type === 'histogram' ? match[1] : undefined;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or']);
const KEYWORDS_TOO = new Set(['unless', 'bool', 'offset', 'inf', 'nan']);

/** Every selector of a PromQL expression: its series name and the label names it matches on. */
function selectorsOf(expr: string): Array<{ name: string; labels: string[]; values: string[][] }> {
  const selectors: Array<{ name: string; labels: string[]; values: string[][] }> = [];
  const text = expr
    .replace(/\[[^\]]*\]/g, '') // range and subquery durations
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const token = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?|"(?:[^"\\]|\\.)*"|\{[^}]*\}/g;
  for (const match of text.matchAll(token)) {
    const [whole, name, matchers] = match;
    if (!name) {
      if (whole.startsWith('{')) selectors.push({ name: '', labels: [], values: [] });
      continue;
    }
    const rest = text.slice(match.index + whole.length);
    if (!matchers && rest.trimStart().startsWith('(')) continue; // a function or aggregation
    if (KEYWORDS.has(name) || KEYWORDS_TOO.has(name.toLowerCase())) continue;
    const pairs = [...(matchers ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)];
    selectors.push({
      name,
      labels: pairs.map((p) => p[1]!),
      values: pairs.map((p) => (p[2] === '=' || p[2] === '=~' ? p[3]!.split('|') : [])),
    });
  }
  return selectors;
}

function checkExpression(where: string, expr: string): void {
  const selectors = selectorsOf(expr);
  expect([where, selectors.length]).toEqual([where, expect.any(Number)]);
  expect([where, selectors.length > 0]).toEqual([where, true]);
  for (const { name, labels, values } of selectors) {
    const family = familyOf(name);
    expect([where, name, family]).toEqual([where, name, expect.any(String)]);
    const allowed = [
      ...METRICS[family!]!.labels,
      'instance',
      'job',
      ...(name.endsWith('_bucket') ? ['le'] : []),
    ];
    labels.forEach((label, i) => {
      expect([where, name, label, allowed.includes(label)]).toEqual([where, name, label, true]);
      for (const value of values[i]!)
        if (LABEL_VALUES[label] && !/[.*+?]/.test(value))
          expect([where, label, value, LABEL_VALUES[label].includes(value)]).toEqual([
            where,
            label,
            value,
            true,
          ]);
    });
  }
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Panel {
  type: string;
  title: string;
  datasource?: unknown;
  targets: Array<{ expr: string }>;
}

/** The rules file as JSON, through kubectl (already needed by the manifests' test): no YAML parser needed. */
function readRules(): { groups: Array<{ name: string; rules: Rule[] }> } {
  const yaml = `apiVersion: lien.test/v1\nkind: RulesFile\nmetadata:\n  name: alerts\n${readFileSync(
    path.join(deploy, 'prometheus/alerts.yaml'),
    'utf8',
  )}`;
  const json = execFileSync(
    'kubectl',
    ['annotate', '--local', '-f', '-', '-o', 'json', 'lien.render/none-'],
    {
      input: yaml,
      encoding: 'utf8',
    },
  );
  return JSON.parse(json) as { groups: Array<{ name: string; rules: Rule[] }> };
}

describe('the PromQL check itself', () => {
  it('finds series names and labels, and ignores functions, keywords, durations and strings', () => {
    expect(
      selectorsOf(
        'histogram_quantile(0.99, sum by (le, route) (rate(lien_http_request_duration_seconds_bucket{status_code=~"5..", method="GET"}[5m]))) > 1 and on (job) absent(up)',
      ),
    ).toEqual([
      {
        name: 'lien_http_request_duration_seconds_bucket',
        labels: ['status_code', 'method'],
        values: [['5..'], ['GET']],
      },
      { name: 'up', labels: [], values: [] },
    ]);
    expect(() => checkExpression('test', 'rate(http_requests_total[5m])')).toThrow();
    expect(() => checkExpression('test', 'sum(lien_sms_sent_total{outcome="lost"})')).toThrow();
    expect(() => checkExpression('test', 'sum(lien_sms_sent_total{phone="x"})')).toThrow();
    expect(() => checkExpression('test', 'sum by (outcome) (rate(lien_sms_sent_total[5m]))')).not.toThrow();
  });
});

describe('deploy/prometheus/alerts.yaml', () => {
  const rules = readRules().groups.flatMap((group) => group.rules);

  it('has the alerts operators need: SMS late, unknown outcomes, deadlines missed, queue stuck, not ready', () => {
    const names = rules.map((rule) => rule.alert);
    for (const name of [
      'LienSmsLate',
      'LienSmsUnknownOutcomesPilingUp',
      'LienAlertDeadlinesMissed',
      'LienQueueStuck',
      'LienNotReady',
    ])
      expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every rule has a severity and a summary, and uses only the series Lien exposes', () => {
    for (const rule of rules) {
      expect([rule.alert, rule.labels?.severity]).toEqual([
        rule.alert,
        expect.stringMatching(/^(critical|warning|info)$/),
      ]);
      expect([rule.alert, typeof rule.annotations?.summary]).toEqual([rule.alert, 'string']);
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
      checkExpression(rule.alert, rule.expr);
    }
  });
});

describe('deploy/grafana/lien-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(path.join(deploy, 'grafana/lien-dashboard.json'), 'utf8')) as {
    uid: string;
    panels: Panel[];
  };
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('queries only the series Lien exposes, through the chosen Prometheus data source', () => {
    expect(dashboard.uid).toBe('lien-overview');
    for (const panel of panels) {
      expect([panel.title, panel.datasource]).toEqual([
        panel.title,
        { type: 'prometheus', uid: '${datasource}' },
      ]);
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) checkExpression(panel.title, target.expr);
    }
  });

  it('shows every series at least once', () => {
    const used = new Set(
      panels.flatMap((panel) =>
        panel.targets.flatMap((t) => selectorsOf(t.expr).map((s) => familyOf(s.name))),
      ),
    );
    expect([...used].sort()).toEqual(Object.keys(METRICS).sort());
  });
});
