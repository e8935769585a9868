export * from './help-resources.js';
export * from './result-message.js';
