// API request/response shapes, one export line per feature.
export * from './alerts.js';
