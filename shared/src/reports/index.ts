export * from './suppression.js';
export * from './territories.js';
