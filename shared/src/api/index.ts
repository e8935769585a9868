// API request/response shapes, one export line per feature.
export * from './alerts.js';
export * from './questionnaire.js';
export * from './identity.js';
export * from './parents.js';
export * from './reports.js';
export * from './paging.js';
export * from './referrals.js';
export * from './health.js';
export * from './fhir.js';
