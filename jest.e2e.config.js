// `npm run test:e2e`: browser journeys against real API + worker processes (built code), real Postgres and Redis.
import preset from './jest.preset.cjs';

export default {
  ...preset,
  displayName: 'e2e',
  rootDir: '.',
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
