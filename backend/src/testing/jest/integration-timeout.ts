// Integration specs start real servers (API, worker, Postgres databases, Redis, Chromium): one minute per test
// unless a spec says otherwise with its own `jest.setTimeout`. (Jest 30 ignores a project's `testTimeout`.)
jest.setTimeout(60_000);
