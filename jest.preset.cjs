// Shared jest settings: TypeScript through swc (decorator metadata for Nest), compiled to CommonJS.
// Nest 12 and a few other dependencies ship ESM only, so they are transformed too.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const swcConfig = JSON.parse(readFileSync(path.join(__dirname, '.swcrc.jest.json'), 'utf8'));
const esmOnly = [
  '@nestjs',
  'openid-client',
  'oauth4webapi',
  'jose',
  'oidc-provider',
  'otplib',
  '@otplib',
  '@scure',
  '@noble',
  'uuid',
  'nanoid',
  'quick-lru',
  'got',
  'kubernetes-models',
  '@kubernetes-models',
  'is-cidr',
  'cidr-regex',
];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  resolver: path.join(__dirname, 'jest.resolver.cjs'),
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^@lien/shared$': '<rootDir>/shared/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};
