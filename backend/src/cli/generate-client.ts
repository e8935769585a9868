// Writes clients/typescript/lien-api.ts from the app's OpenAPI document (`npm run client:generate`). The app is
// built in preview mode: its routes and schemas only, no database, no Redis, nothing listening.
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from '../app.module.js';
import { buildOpenApiDocument } from '../common/openapi.js';
import { loadConfig } from '../config/config.js';
import { CLIENT_PATH, generateClient } from './client-generator.js';

const root = process.cwd();
// Nothing connects in preview mode: the URLs only have to be well formed.
const config = loadConfig({
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
  REDIS_URL: 'redis://127.0.0.1:1',
});
const app = await NestFactory.create(ApiModule.forRoot(config), {
  preview: true,
  logger: false,
  abortOnError: false,
});
const text = generateClient(buildOpenApiDocument(app), root);
const target = path.join(root, CLIENT_PATH);
await mkdir(path.dirname(target), { recursive: true });
await writeFile(target, text);
console.log(`Wrote ${CLIENT_PATH}`);
