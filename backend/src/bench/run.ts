// `npm run bench`: every performance target of the project, measured on this machine, printed as a table.
// Each feature has its own bench file exporting `run()`; pass names to run only some: `npm run bench -- sms reports`.
// Options are read by the benches themselves (`--reseed`, `--scale 0.1`).
import 'reflect-metadata';

interface Bench {
  run: () => Promise<Record<string, number | string>>;
}

const BENCHES: Record<string, () => Promise<Bench>> = {
  enrolment: () => import('./enrolment.bench.js'),
  sms: () => import('./sms.bench.js'),
  questionnaire: () => import('./questionnaire.bench.js'),
  alerts: () => import('./alerts.bench.js'),
  reports: () => import('./reports.bench.js'),
  keys: () => import('./keys.bench.js'),
  'self-screening': () => import('./self-screening.bench.js'),
  'national-day': () => import('./national-day.bench.js'),
};

/** Options followed by a value (`--scale 0.1`): that value is not a bench name. */
const VALUE_OPTIONS = new Set(['--scale']);
const args = process.argv.slice(2);
const wanted = args.filter((arg, index) => !arg.startsWith('-') && !VALUE_OPTIONS.has(args[index - 1] ?? ''));
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
let failed = false;
for (const name of names) {
  const load = BENCHES[name];
  if (!load) {
    console.error(`Unknown bench "${name}". Known: ${Object.keys(BENCHES).join(', ')}`);
    failed = true;
    continue;
  }
  console.log(`\n== ${name}`);
  try {
    const results = await (await load()).run();
    for (const [metric, value] of Object.entries(results)) console.log(`  ${metric.padEnd(52)} ${value}`);
  } catch (error) {
    failed = true;
    console.error(`  failed: ${(error as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
