// `npm run test:unit`: unit specs and integration specs (real Postgres and Redis), one database per file.
import preset from './jest.preset.cjs';

export default {
  projects: [
    {
      ...preset,
      displayName: 'shared',
      rootDir: '.',
      testMatch: ['<rootDir>/shared/src/**/*.spec.ts'],
    },
    {
      ...preset,
      displayName: 'backend',
      rootDir: '.',
      setupFilesAfterEnv: ['<rootDir>/backend/src/testing/jest/integration-timeout.ts'],
      testMatch: ['<rootDir>/backend/src/**/*.spec.ts', '<rootDir>/migrations/**/*.spec.ts'],
    },
    {
      // The console: Angular component and service specs in jsdom (jest-preset-angular, zoneless).
      displayName: 'frontend',
      preset: 'jest-preset-angular',
      rootDir: 'frontend',
      testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
      moduleNameMapper: {
        '^@lien/shared$': '<rootDir>/../shared/src/index.ts',
        '^(\\.{1,2}/.*)\\.js$': '$1',
      },
    },
  ],
};
