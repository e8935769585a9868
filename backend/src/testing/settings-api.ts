import type { INestApplication } from '@nestjs/common';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import type { UserRole } from '@lien/shared';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { signedBy } from './api-spec.js';
import { signInNewUser } from './factories.js';

/**
 * A new user of the organisation with `role` (an org admin unless told), signed in: the PATCH of the
 * organisation's settings they send, one body a call (the caller expects the status).
 */
export async function settingsPatcher(
  app: INestApplication,
  organisationId: string,
  role: UserRole = 'org_admin',
): Promise<(body: object) => request.Test> {
  const config = app.get<AppConfig>(APP_CONFIG, { strict: false });
  const token = await signInNewUser(app.get(DataSource), config, { organisationId, role });
  return (body) => signedBy(app, token).patch(`/api/organisations/${organisationId}/settings`).send(body);
}
