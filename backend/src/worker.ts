import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { WorkerModule } from './app.module.js';
import { loadConfigOrExit, preflight, runOrExit } from './common/preflight.js';
import { migrateAtStartup } from './database/migrate.js';

/** The queue worker: same code as the API, its own process. SIGTERM drains the workers before exit. */
await runOrExit(async () => {
  const config = loadConfigOrExit();
  await preflight(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await migrateAtStartup(config, app.get(DataSource));
  await app.init();
  app.get(Logger).log(`Worker started (queues: ${[...config.workerQueues].join(', ')})`);
});
