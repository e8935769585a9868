import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PRODUCTION_SECRETS } from '../testing/production-env.js';

// Runs the built entrypoints as `npm start` does (`npm test` builds before running jest).
const dist = path.resolve(__dirname, '../../../dist/backend/backend/src');

function start(
  entry: string,
  env: Record<string, string>,
): { status: number | null; stderr: string; stdout: string } {
  const file = path.join(dist, entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

const singleLine = (text: string) => text.trim().split('\n');

describe('start-up failures end with one clear line', () => {
  it.each(['main.js', 'worker.js'])('%s: an unreachable database names DATABASE_URL', (entry) => {
    const result = start(entry, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/lien' });
    expect(result.status).toBe(1);
    expect(singleLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^lien: Cannot reach PostgreSQL at 127\.0\.0\.1:1\/lien \(DATABASE_URL\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a database that does not exist is named too', () => {
    const result = start('main.js', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lien_no_such_database',
    });
    expect(result.status).toBe(1);
    expect(singleLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/Cannot reach PostgreSQL .*lien_no_such_database.*does not exist/);
  });

  it('an unreachable Redis names REDIS_URL and says how to get one', () => {
    const result = start('main.js', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.status).toBe(1);
    expect(singleLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^lien: Cannot reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\).*redis-server/);
  });

  it('invalid configuration lists each bad variable, without a stack', () => {
    const result = start('main.js', { DATABASE_URL: 'mysql://x', PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL must use postgres: or postgresql:');
    expect(result.stderr).toContain('PORT must be a whole number from 0 to 65535 (got "abc")');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
  it.each(['main.js', 'worker.js'])(
    '%s: production without Twilio and SMTP is refused, one line naming every missing variable',
    (entry) => {
      const result = start(entry, {
        ...PRODUCTION_SECRETS,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
        PUBLIC_BASE_URL: 'https://lien.example.org',
      });
      expect(result.status).toBe(1);
      const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
      expect(problems).toEqual([
        '  - NODE_ENV=production needs a real SMS provider and SMTP server (no built-in outbox): set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, SMTP_URL',
      ]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
