import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// deploy/kubernetes/rollout.sh keeps the order "migration Job, waited for; then the rest". No cluster here: a
// kubectl stand-in records every call and answers the Job's status as a cluster would (the overlay itself is
// rendered by the real kubectl), so the script's decisions are what is tested.
const script = path.resolve(__dirname, '../../../deploy/kubernetes/rollout.sh');

function rollout(job: { succeeded: string; failed: string }): {
  status: number | null;
  calls: string[];
  stderr: string;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'lien-rollout-'));
  try {
    const realKubectl = execFileSync('bash', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    const log = path.join(dir, 'calls.log');
    writeFileSync(
      path.join(dir, 'kubectl'),
      `#!/usr/bin/env bash
echo "$*" >> "${log}"
case "$*" in
  kustomize*) exec "${realKubectl}" "$@" ;;
  *"get job lien-migrate"*"succeeded"*) echo -n "${job.succeeded}" ;;
  *"get job lien-migrate"*"Failed"*) echo -n "${job.failed}" ;;
  *"logs job/lien-migrate"*) echo "Applied: SomeMigration" ;;
esac
exit 0
`,
    );
    chmodSync(path.join(dir, 'kubectl'), 0o755);
    const result = spawnSync('bash', [script, 'overlays/production'], {
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, MIGRATION_TIMEOUT_SECONDS: '30' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return {
      status: result.status,
      calls: readFileSync(log, 'utf8').trim().split('\n'),
      stderr: result.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy/kubernetes/rollout.sh', () => {
  it('runs the migration Job first and rolls out only after it succeeded', () => {
    const { status, calls } = rollout({ succeeded: '1', failed: '' });
    expect(status).toBe(0);
    const mutations = calls.filter((c) => /^(-n lien )?(delete|apply|rollout)/.test(c));
    expect(mutations).toEqual([
      '-n lien delete job lien-migrate --ignore-not-found --wait=true',
      'apply -k overlays/production -l app.kubernetes.io/component in (config, migrate)',
      'apply -k overlays/production',
      '-n lien rollout status deployment/lien-api --timeout=15m',
      '-n lien rollout status deployment/lien-worker --timeout=15m',
      '-n lien rollout status deployment/lien-console --timeout=15m',
    ]);
  });

  it('stops before touching the running version when the migration fails', () => {
    const { status, calls, stderr } = rollout({ succeeded: '', failed: 'True' });
    expect(status).toBe(1);
    expect(stderr).toContain('the migration failed; the running version was left untouched');
    expect(calls).not.toContain('apply -k overlays/production');
    expect(calls.some((c) => c.includes('rollout status'))).toBe(false);
  });
});
