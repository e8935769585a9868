// Type-checked linting for the whole workspace, zero warnings. Module boundaries are enforced here:
// shared imports nothing of Nest, TypeORM or Angular; backend and frontend never import each other.
import { existsSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sharedForbidden = {
  patterns: [
    {
      group: ['@nestjs/*', 'typeorm', 'typeorm/*', '@angular/*', 'rxjs', 'express'],
      message: 'shared/ is framework-free: it is used by both the backend and the console.',
    },
    { group: ['**/backend/**', '**/frontend/**'], message: 'shared/ must not depend on an application.' },
  ],
};

const backendForbidden = [
  { group: ['@angular/*', '**/frontend/**'], message: 'The backend never imports the console.' },
  { group: ['**/shared/src/**'], message: 'Import shared code as @lien/shared.' },
];

/** Floors point down: common/ is below every feature and below database/ (see ARCHITECTURE.md). */
const commonForbidden = {
  regex: '(^|/)(modules|database)/',
  message:
    'common/ imports nothing from modules/ or database/: move the shared piece into common/, or let the ' +
    'feature hand it in (see ErrorFormat in http-exception.filter.ts).',
};

/** A feature reaches another feature through its exported services, never through its repository. */
const otherFeatureRepository = (except = '') => ({
  regex: `^(\\.\\./)+${except}[^./][^/]*/[^/]+\\.repository(\\.js)?$`,
  message: "Another feature's data is reached through that feature's service, not its repository.",
});

/**
 * Queue work has one home per feature: its `<feature>.processor.ts` declares the job handlers, their schedulers
 * and its queue's worker options with the decorators of job-handler.decorator.ts; worker modules only wire.
 * Without the import nothing else can declare a job.
 */
const jobDeclarationsOutsideProcessors = {
  regex: '(^|/)job-handler\\.decorator(\\.js)?$',
  message: "Jobs are declared in the feature's <feature>.processor.ts (@JobHandler, @QueueWorker).",
};

/** JobConsumers finds the processors' handlers by itself: only queue/, the harness and the readiness probe use it. */
const jobConsumersOutsideQueue = {
  regex: '(^|/)job-consumers(\\.js)?$',
  message:
    "Declare jobs with @JobHandler in the feature's <feature>.processor.ts; specs run a scheduled job with " +
    'runScheduledJob (testing/test-app.ts).',
};

const jobRules = [jobDeclarationsOutsideProcessors, jobConsumersOutsideQueue];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'node_modules/**',
      '.data/**',
      '.angular/**',
      'coverage/**',
      'test-artifacts/**',
      'tmp/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          'shared/tsconfig.spec.json',
          'backend/tsconfig.spec.json',
          'frontend/tsconfig.app.json',
          'frontend/tsconfig.spec.json',
          'e2e/tsconfig.json',
          'clients/typescript/tsconfig.json',
        ].filter((file) => existsSync(file)),
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      // Nest modules are classes with decorators only.
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedForbidden] },
  },
  {
    files: ['backend/**/*.ts', 'migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...backendForbidden, ...jobRules] }],
      // Nest injects by the runtime class of constructor parameters: type-only imports would break DI.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Specs there may drive the whole application (they test the request stack end to end).
    files: ['backend/src/common/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...backendForbidden, commonForbidden, ...jobRules] }],
    },
  },
  {
    files: ['backend/src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...backendForbidden, otherFeatureRepository(), ...jobRules] },
      ],
    },
  },
  {
    // Accounts are one room in two modules: users/ keeps the account rows, auth/ signs them in.
    files: ['backend/src/modules/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...backendForbidden, otherFeatureRepository('(?!users/)'), ...jobRules],
        },
      ],
    },
  },
  {
    // JobConsumers' own floor (it reads the decorators' metadata).
    files: ['backend/src/queue/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: backendForbidden }] },
  },
  {
    // The test harness runs scheduled jobs for specs (runScheduledJob).
    files: ['backend/src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...backendForbidden, jobDeclarationsOutsideProcessors] },
      ],
    },
  },
  {
    // The processors declare the jobs, and need nothing else of the queue machinery.
    files: ['backend/src/modules/**/*.processor.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...backendForbidden, otherFeatureRepository(), jobConsumersOutsideQueue] },
      ],
    },
  },
  {
    // The worker's readiness probe reads the BullMQ workers JobConsumers started.
    files: ['backend/src/modules/health/worker-health.server.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...backendForbidden, otherFeatureRepository(), jobDeclarationsOutsideProcessors] },
      ],
    },
  },
  {
    files: ['frontend/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', '**/backend/**'],
              message: 'The console talks to the API over HTTP only.',
            },
            { group: ['**/shared/src/**'], message: 'Import shared code as @lien/shared.' },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts', '**/bench/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
