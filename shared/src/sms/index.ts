export * from './gsm7.js';
export * from './template.js';
export * from './render.js';
