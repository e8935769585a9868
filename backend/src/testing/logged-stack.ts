import type { FixedClock } from '../common/clock.js';
import {
  createTestApi,
  createTestEnvironment,
  createTestWorker,
  dataSourceOf,
  jsonLogLines,
  openStack,
  stopApiAndWorker,
  type ApiAndWorker,
} from './test-app.js';

/**
 * For `beforeAll` of a spec that reads the worker's log: an environment logging at info (`env` added, `clock`
 * replacing its fixed clock), a worker whose JSON log lines land in `workerLog`, and the API (on `port`, the one
 * PUBLIC_BASE_URL names, when given); `stopApiAndWorker` closes it.
 */
export function startLoggedApiAndWorker(options: {
  env: Record<string, string>;
  workerLog: Array<Record<string, unknown>>;
  clock?: FixedClock;
  port?: number;
}): Promise<ApiAndWorker> {
  return openStack(async (stack) => {
    const environment = (stack.environment = await createTestEnvironment({
      LOG_LEVEL: 'info',
      ...options.env,
    }));
    if (options.clock) environment.clock = options.clock;
    // First: nestjs-pino builds one root logger per process, from the first module's parameters.
    const worker = (stack.worker = await createTestWorker(environment, {
      logDestination: jsonLogLines(options.workerLog),
    }));
    const api = (stack.api = await createTestApi(environment, {}, options.port));
    return { environment, api, worker, dataSource: dataSourceOf(api) };
  }, stopApiAndWorker);
}
