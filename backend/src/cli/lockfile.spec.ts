import { readFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  integrity?: string;
  link?: boolean;
}

/** Supply chain: `npm ci` verifies every tarball it downloads, on every platform, against the lock's hash. */
describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(path.join(process.cwd(), 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };

  it('records an integrity hash (sha512) for every package it installs', () => {
    const missing = Object.entries(lock.packages)
      .filter(([location, entry]) => location.includes('node_modules/') && !entry.link)
      .filter(([, entry]) => !entry.integrity?.startsWith('sha512-'))
      .map(([location]) => location);
    expect(missing).toEqual([]);
  });
});
