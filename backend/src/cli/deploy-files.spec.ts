import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/**
 * `.dockerignore` patterns as Docker applies them (Go filepath.Match, plus `**`), enough for this file: a path
 * is left out when a pattern matches it or one of its parent directories; `!` re-includes.
 */
function excludedBy(patterns: string[]): (file: string) => boolean {
  const rules = patterns.map((line) => {
    const negate = line.startsWith('!');
    const glob = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
    const source = glob
      .split(/(\*\*\/|\*|\?)/)
      .map((part) =>
        part === '**/'
          ? '(?:.*/)?'
          : part === '*'
            ? '[^/]*'
            : part === '?'
              ? '[^/]'
              : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    return { negate, regex: new RegExp(`^${source}$`) };
  });
  return (file) => {
    const segments = file.split('/');
    const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((prefix) => rule.regex.test(prefix))) excluded = !rule.negate;
    return excluded;
  };
}

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const excluded = excludedBy(patterns);

  it('keeps secrets, the local database, dependencies, build output, test output, git and env files out', () => {
    const secret = [
      '.data/secrets.json',
      '.data/postgres/PG_VERSION',
      'node_modules/typeorm/index.js',
      'backend/node_modules/x/index.js',
      'dist/backend/backend/src/main.js',
      'shared/dist/index.js',
      'test-artifacts/trace.zip',
      '.git/HEAD',
      '.env',
      '.env.production',
      'deploy/.env',
    ];
    expect(secret.filter((file) => !excluded(file))).toEqual([]);
  });

  it('still sends what the images build from', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'backend/src/main.ts',
      'shared/src/index.ts',
      'migrations/index.ts',
      'frontend/src/main.ts',
      'angular.json',
      'deploy/nginx.conf',
      'deploy/env.example',
    ];
    expect(needed.filter(excluded)).toEqual([]);
  });
});

describe('deploy/nginx.conf access logs', () => {
  const conf = read('deploy/nginx.conf')
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('\n');
  const directives = (name: string): string[] =>
    [...conf.matchAll(new RegExp(`(?:^|[;{}\\s])${name}\\s+([^;]*);`, 'g'))].map((match) => match[1]!.trim());

  it('logs with a format that has no query string, no raw request line, no referrer', () => {
    const formats = new Map(
      directives('log_format').map((body) => {
        const [name, ...rest] = body.split(/\s+/);
        return [name!, rest.join(' ')];
      }),
    );
    const accessLogs = directives('access_log');
    expect(accessLogs.length).toBeGreaterThan(0);
    for (const directive of accessLogs) {
      if (directive === 'off') continue;
      const format = directive.split(/\s+/)[1];
      // Without a format nginx logs "combined", which has $request (the query string included).
      expect(format).toBeDefined();
      const text = formats.get(format!);
      expect(text).toBeDefined();
      expect(text).not.toMatch(
        /\$(request|request_uri|args|arg_\w+|query_string|is_args|http_referer|uri)\b/,
      );
      expect(text).toMatch(/\$lien_logged_path\b/);
    }
  });

  it('masks /q/<token> in the logged path (the map of $uri)', () => {
    const map = /map\s+\$uri\s+\$lien_logged_path\s*\{([^}]*)\}/.exec(conf)?.[1];
    expect(map).toBeDefined();
    const entries = map!
      .split(';')
      .map((entry) => entry.trim().split(/\s+/))
      .filter((parts) => parts.length === 2) as Array<[string, string]>;
    const logged = (uri: string): string => {
      for (const [key, value] of entries) {
        if (key.startsWith('~') && new RegExp(key.slice(1)).test(uri)) return value;
      }
      const fallback = entries.find(([key]) => key === 'default')?.[1];
      return fallback === '$uri' ? uri : (fallback ?? '');
    };
    expect(logged('/q/AbCdEf0123456789_-xyz')).toBe('/q/-');
    expect(logged('/api/alerts')).toBe('/api/alerts');
  });
});
