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
      testMatch: ['<rootDir>/backend/src/**/*.spec.ts', '<rootDir>/migrations/**/*.spec.ts'],
    },
  ],
};
