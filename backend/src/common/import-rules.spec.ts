import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Linter } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The floors of ARCHITECTURE.md as ESLint enforces them, job declarations kept to the processors included: the
 * `no-restricted-imports` options that the workspace's own eslint.config.js gives a file at `file` (as
 * `eslint --print-config` reports them), applied to one import.
 */
const optionsByFile = new Map<string, Linter.RuleEntry>();

function restrictedImportsFor(file: string): Linter.RuleEntry {
  let options = optionsByFile.get(file);
  if (!options) {
    const printed = execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--print-config', file],
      { cwd: ROOT, encoding: 'utf8' },
    );
    options = (JSON.parse(printed) as { rules: Record<string, Linter.RuleEntry> }).rules[
      'no-restricted-imports'
    ]!;
    optionsByFile.set(file, options);
  }
  return options;
}

function refused(file: string, from: string): boolean {
  const messages = new Linter({ configType: 'flat', cwd: ROOT }).verify(
    `import { thing } from '${from}';\nexport const used = thing;\n`,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        rules: { 'no-restricted-imports': restrictedImportsFor(file) },
      },
    ],
    path.join(ROOT, file),
  );
  expect(messages.filter((message) => message.ruleId !== 'no-restricted-imports')).toEqual([]);
  return messages.length > 0;
}

describe('import rules (eslint.config.js)', () => {
  it('keep common/ from importing modules/ or database/, at any depth', () => {
    expect(refused('backend/src/common/probe.ts', '../modules/audit/audit.service.js')).toBe(true);
    expect(refused('backend/src/common/probe.ts', '../database/data-source.js')).toBe(true);
    expect(refused('backend/src/common/auth/probe.ts', '../../modules/users/session-check.js')).toBe(true);
    expect(refused('backend/src/common/auth/probe.ts', '../../database/prepared-statement.js')).toBe(true);
  });

  it('let common/ import itself, config/, queue/ and shared', () => {
    expect(refused('backend/src/common/probe.ts', './errors.js')).toBe(false);
    expect(refused('backend/src/common/auth/probe.ts', '../../config/config.js')).toBe(false);
    expect(refused('backend/src/common/auth/probe.ts', '../../queue/queue.module.js')).toBe(false);
    expect(refused('backend/src/common/probe.ts', '@lien/shared')).toBe(false);
  });

  it("keep a feature from importing another feature's repository, from any folder of it", () => {
    expect(refused('backend/src/modules/paging/probe.ts', '../users/users.repository.js')).toBe(true);
    expect(refused('backend/src/modules/paging/probe.spec.ts', '../parents/parents.repository.js')).toBe(
      true,
    );
    expect(refused('backend/src/modules/fhir/mappers/probe.ts', '../../alerts/alerts.repository.js')).toBe(
      true,
    );
    expect(refused('backend/src/modules/auth/probe.ts', '../parents/parents.repository.js')).toBe(true);
  });

  it("let a feature use its own repository and another feature's services", () => {
    expect(refused('backend/src/modules/paging/probe.ts', './pages.repository.js')).toBe(false);
    expect(refused('backend/src/modules/fhir/mappers/probe.ts', '../fhir.repository.js')).toBe(false);
    expect(refused('backend/src/modules/paging/probe.ts', '../users/users.service.js')).toBe(false);
    // Accounts are one room in two modules: auth/ signs in the users/ rows.
    expect(refused('backend/src/modules/auth/probe.ts', '../users/users.repository.js')).toBe(false);
  });

  it("keep jobs declared in the feature's processor only: no job decorators anywhere else", () => {
    const decorators = '../../queue/job-handler.decorator.js';
    expect(refused('backend/src/modules/reports/reports-worker.module.ts', decorators)).toBe(true);
    expect(refused('backend/src/modules/sms/sms-queue.service.ts', decorators)).toBe(true);
    expect(refused('backend/src/modules/auth/probe.ts', decorators)).toBe(true);
    expect(refused('backend/src/modules/reports/rollups.spec.ts', decorators)).toBe(true);
    expect(refused('backend/src/modules/health/worker-health.server.ts', decorators)).toBe(true);
    expect(refused('backend/src/common/auth/probe.ts', decorators)).toBe(true);
    expect(refused('backend/src/common/probe.spec.ts', '../queue/job-handler.decorator.js')).toBe(true);
    expect(refused('backend/src/testing/test-app.ts', '../queue/job-handler.decorator.js')).toBe(true);
    expect(refused('backend/src/worker.ts', './queue/job-handler.decorator.js')).toBe(true);
  });

  it('keep JobConsumers to queue/, the test harness and the worker readiness probe: processors only declare', () => {
    const jobConsumers = '../../queue/job-consumers.js';
    expect(refused('backend/src/modules/reports/reports.processor.ts', jobConsumers)).toBe(true);
    expect(refused('backend/src/modules/reports/reports-worker.module.ts', jobConsumers)).toBe(true);
    expect(refused('backend/src/modules/sms/sms-queue.service.ts', jobConsumers)).toBe(true);
    expect(refused('backend/src/modules/reports/rollups.spec.ts', jobConsumers)).toBe(true);
    expect(refused('backend/src/common/probe.spec.ts', '../queue/job-consumers.js')).toBe(true);
    expect(refused('backend/src/worker.ts', './queue/job-consumers.js')).toBe(true);
    expect(refused('backend/src/modules/health/worker-health.server.ts', jobConsumers)).toBe(false);
    expect(refused('backend/src/queue/queue.module.ts', './job-consumers.js')).toBe(false);
    expect(refused('backend/src/testing/test-app.ts', '../queue/job-consumers.js')).toBe(false);
  });

  it('let processors and queue/ use the job decorators', () => {
    const decorators = '../../queue/job-handler.decorator.js';
    expect(refused('backend/src/modules/reports/reports.processor.ts', decorators)).toBe(false);
    expect(refused('backend/src/modules/notifications/email.processor.ts', decorators)).toBe(false);
    expect(refused('backend/src/queue/job-consumers.ts', './job-handler.decorator.js')).toBe(false);
    // A processor is still a feature's file: other features' repositories stay out of reach.
    expect(refused('backend/src/modules/reports/reports.processor.ts', '../users/users.repository.js')).toBe(
      true,
    );
  });
});
