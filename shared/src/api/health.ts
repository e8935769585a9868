/** The probes: `GET /api/health`, `/api/health/live` and `/api/health/ready` (and the worker's own). */

export type DependencyState = 'up' | 'down';

/** `GET /api/health`: 503 with the same body when Postgres or Redis does not answer. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  postgres: DependencyState;
  redis: DependencyState;
}

/** `GET /api/health/live`: the process answers (nothing else is asked). */
export interface Liveness {
  status: 'ok';
}

/** What `/ready` answers: each component's state, nothing else (no hosts, no error texts). */
export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  postgres: DependencyState;
  redis: DependencyState;
  migrations: 'applied' | 'pending' | 'unknown';
  /** Worker only: its BullMQ workers are running on a live Redis connection. */
  queues?: 'consuming' | 'stopped';
}
