import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EN } from '../i18n/en';
import { FR } from '../i18n/fr';
import { AUDIT_ACTIONS } from './audit.page';

/**
 * Every action the backend records in the audit log (each `action: '…'` of its sources, specs and test helpers
 * aside) has its French sentence (and its English one) on the log page: a new action without a label fails here.
 */
const BACKEND = path.resolve(__dirname, '../../../../backend/src');

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

function recordedActions(): string[] {
  const actions = new Set<string>();
  for (const file of sources(BACKEND))
    for (const match of readFileSync(file, 'utf8').matchAll(/\baction: '([a-z0-9_.]+)'/g))
      actions.add(match[1]!);
  return [...actions].sort();
}

describe('audit log labels', () => {
  const recorded = recordedActions();

  it('finds the backend’s audit actions (the scan reads real sources)', () => {
    expect(recorded.length).toBeGreaterThan(40);
    expect(recorded).toEqual(
      expect.arrayContaining(['auth.login.success', 'alert.list', 'referral_resource.create']),
    );
  });

  it('has a French sentence for every action the backend records', () => {
    expect(recorded.filter((action) => !AUDIT_ACTIONS.includes(action))).toEqual([]);
  });

  it('has the English one too', () => {
    const english = new Set(Object.keys(EN));
    expect(recorded.filter((action) => !english.has(`auditAction.${action}`))).toEqual([]);
  });

  it('labels with sentences, not codes', () => {
    for (const action of recorded) {
      const label = (FR as Record<string, string>)[`auditAction.${action}`];
      expect(label).toBeDefined();
      expect(label).not.toContain(action);
      expect(label!.trim().length).toBeGreaterThan(3);
    }
  });
});
