import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AlertEntity } from '../../modules/alerts/alert.entity.js';
import type { OrganisationEntity } from '../../modules/organisations/organisation.entity.js';
import type { UserEntity } from '../../modules/users/user.entity.js';
import { answersForPoints, pointsFor } from '../alerts-factories.js';
import { answerAsParent } from '../alerts-spec.js';
import { signedBy } from '../api-spec.js';
import { signIn } from '../factories.js';
import type { TestEnvironment } from '../test-app.js';

/** Tuesday 3 March 2026, 02:00 in Paris: a night on-call is paged. */
export const NIGHT = new Date('2026-03-03T01:00:00Z');

/** Words a page (SMS or call) must never say: it reaches a phone anyone may read. */
export const HEALTH_WORDS = /suicid|dépress|depress|EPDS|score|santé|mental|bébé|naissance|Léa|Petit/i;

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** What a paging spec's stack offers these helpers (every stack the specs start has them). */
interface PagingStack {
  environment: TestEnvironment;
  api: INestApplication;
  dataSource: DataSource;
}

/** Saves `rota` (the body of PUT /api/paging/rota) as the org admin `admin`; the API must accept it. */
export async function putRota(
  { environment, api, dataSource }: PagingStack,
  admin: UserEntity,
  rota: Record<string, unknown>,
): Promise<void> {
  const token = await signIn(dataSource, environment.config, admin);
  await signedBy(api, token).put('/api/paging/rota').send(rota).expect(200);
}

/** A parent of `organisation` answers with item 10 positive: the urgent alert that pages the on-call. */
export async function raiseUrgentAlert(
  { api }: PagingStack,
  organisation: OrganisationEntity,
): Promise<AlertEntity> {
  const points = pointsFor(4);
  points[9] = 2; // item 10 positive
  const { alert } = await answerAsParent(api, organisation, answersForPoints(points));
  expect(alert?.severity).toBe('urgent');
  return alert!;
}
