// Public surface of @lien/shared: contracts used by both the backend and the console.
// Each feature appends its own export line; keep this file a plain list.
export * from './roles.js';
export * from './organisation-settings.js';
export * from './api-error.js';
export * from './statuses.js';
export * from './permissions.js';
export * from './epds/index.js';
export * from './sms/index.js';
export * from './resources/index.js';
export * from './api/index.js';
export * from './reports/index.js';
export * from './queues.js';
export * from './api-keys.js';
export * from './screening/index.js';
export * from './phone.js';
export * from './alert-workflow.js';
export * from './referral-fields.js';
