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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@angular/*', '**/frontend/**'], message: 'The backend never imports the console.' },
            { group: ['**/shared/src/**'], message: 'Import shared code as @lien/shared.' },
          ],
        },
      ],
      // Nest injects by the runtime class of constructor parameters: type-only imports would break DI.
      '@typescript-eslint/consistent-type-imports': 'off',
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
