export * from './types.js';
export * from './instrument-en.js';
export * from './instrument-fr.js';
export * from './instruments.js';
export * from './ui-text.js';
export * from './scoring.js';
