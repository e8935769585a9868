#!/usr/bin/env python3
"""Records in package-lock.json the optional, platform-specific binaries that the registry mirror of our build
machines does not serve (it has Linux builds only). npm leaves them out of the lock when it cannot fetch them,
and `npm ci` then refuses the lock as out of sync. Each entry is tagged with its os/cpu (from its name), so npm
skips it on other platforms exactly as it would with the registry's own metadata.

It also records the integrity hash of every entry that lacks one, from the registry's metadata.

Run after any `npm install` that changes the lock: python3 scripts/complete-lockfile.py
"""
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

LOCK = sys.argv[1] if len(sys.argv) > 1 else 'package-lock.json'
OS_NAMES = {'darwin': 'darwin', 'win32': 'win32', 'linux': 'linux', 'freebsd': 'freebsd', 'android': 'android',
            'openharmony': 'openharmony', 'sunos': 'sunos', 'aix': 'aix', 'netbsd': 'netbsd', 'openbsd': 'openbsd'}
CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el']


def platform_of(name: str):
    base = name.split('/')[-1]
    os_ = next((value for key, value in OS_NAMES.items() if re.search(rf'(^|-){key}(-|$)', base)), None)
    cpu = next((c for c in CPUS if re.search(rf'(^|-){c}(-|$)', base)), None)
    libc = 'musl' if 'musl' in base else ('glibc' if re.search(r'-gnu', base) else None)
    return os_, cpu, libc


with open(LOCK) as handle:
    lock = json.load(handle)
packages = lock['packages']
added = []
for path, meta in list(packages.items()):
    for dep, spec in (meta.get('optionalDependencies') or {}).items():
        # npm resolves a dependency next to its parent first, then up the tree; we add it at the top level.
        nested = f'{path}/node_modules/{dep}' if path else f'node_modules/{dep}'
        if nested in packages or f'node_modules/{dep}' in packages:
            continue
        version = re.sub(r'^[=^~v]', '', spec)
        if not re.match(r'^\d+\.\d+\.\d+', version):
            continue
        entry = {'version': version, 'optional': True}
        if meta.get('dev'):
            entry['dev'] = True
        os_, cpu, libc = platform_of(dep)
        if os_:
            entry['os'] = [os_]
        if cpu:
            entry['cpu'] = [cpu]
        if libc:
            entry['libc'] = [libc]
        if not os_ and not cpu:
            continue
        packages[f'node_modules/{dep}'] = entry
        added.append(dep)



def registry_integrity(name: str, version: str) -> str:
    """The registry's published hash of a tarball (its metadata is served for every platform)."""
    out = subprocess.run(['npm', 'view', f'{name}@{version}', 'dist.integrity'], capture_output=True, text=True,
                         check=True).stdout.strip()
    if not out.startswith('sha512-'):
        sys.exit(f'complete-lockfile: no integrity for {name}@{version}')
    return out


# Every entry carries its integrity hash, so `npm ci` verifies what it downloads on any platform.
missing = [(path, meta) for path, meta in packages.items()
           if 'node_modules/' in path and not meta.get('link') and 'integrity' not in meta]
with ThreadPoolExecutor(max_workers=8) as pool:
    hashes = list(pool.map(lambda item: registry_integrity(item[0].split('node_modules/')[-1], item[1]['version']),
                           missing))
for (path, meta), integrity in zip(missing, hashes):
    meta['integrity'] = integrity

lock['packages'] = dict(sorted(packages.items(), key=lambda item: (item[0] != '', item[0])))
with open(LOCK, 'w') as handle:
    json.dump(lock, handle, indent=2)
    handle.write('\n')
print(f'complete-lockfile: added {len(added)} optional platform entries, {len(missing)} integrity hashes')
