import type { MigrationInterface } from 'typeorm';
import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';

/** Every migration in order. Add a new one here after writing it (see README, "Adding a migration"). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1763800000000];
