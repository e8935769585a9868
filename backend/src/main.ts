import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ApiModule } from './app.module.js';
import { configureHttpApp } from './http-app.js';
import { loadConfigOrExit, preflight, runOrExit } from './common/preflight.js';
import { migrateAtStartup } from './database/migrate.js';

await runOrExit(async () => {
  const config = loadConfigOrExit();
  await preflight(config);
  const app = await NestFactory.create(ApiModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  await migrateAtStartup(config, app.get(DataSource));
  configureHttpApp(app, config);
  await app.listen(config.port);
});
