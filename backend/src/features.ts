import { CryptoModule } from './common/crypto/field-encryption.service.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { HealthModule } from './modules/health/health.module.js';

/**
 * Feature modules shared by the API and the worker. Each feature adds itself here (one line each).
 */
export const FEATURE_MODULES = [
  CryptoModule,
  AuditModule,
  HealthModule,
];

/** Modules that consume queues; loaded only by the worker process. */
export const WORKER_MODULES = [
];
