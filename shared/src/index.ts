// Public surface of @lien/shared: contracts used by both the backend and the console.
// Each feature appends its own export line; keep this file a plain list.
export * from './roles.js';
export * from './organisation-settings.js';
