// Jest's globals in the app build too, which compiles backend/src/testing for the bench.
/// <reference types="jest" />
import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { OrganisationSettings } from '@lien/shared';
import type { FixedClock } from '../common/clock.js';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { QuestionnaireService } from '../modules/questionnaire/questionnaire.service.js';
import type { UserEntity } from '../modules/users/user.entity.js';
import { makeOrganisation, makeUser, signIn } from './factories.js';
import { startTwilioStack, type TwilioStack } from './test-app.js';

/** The SMS specs' calendar: they start on Monday 2 March 2026, 09:00 in Paris. */
export const START = new Date('2026-03-02T08:00:00Z');
/** The birth date of the parents they enrol: day 7 is Thursday 5 March, 10:00 Paris = 09:00Z. */
export const BIRTH = '2026-02-26';
export const DAY7 = new Date('2026-03-05T09:00:00Z');

/** The SMS pipeline at test speed: no rate limit, twenty sends at once, a provider call given up after 2 s. */
export const FAST_SMS_ENV = {
  SMS_RATE_PER_SECOND: '10000',
  SMS_WORKER_CONCURRENCY: '20',
  SMS_SEND_TIMEOUT_MS: '2000',
};

/**
 * `FAST_SMS_ENV` for a spec that kills the worker mid-batch: the next one takes the lock over after 1.5 s and
 * looks a send that got no answer up at the provider after 1 s.
 */
export const WORKER_CRASH_SMS_ENV = {
  ...FAST_SMS_ENV,
  SMS_UNKNOWN_GRACE_MS: '1000',
  SMS_RETRY_BASE_MS: '50',
  SMS_WORKER_LOCK_MS: '1500',
};

/**
 * For `beforeAll`: `startTwilioStack` with a fake that sends no status callback on its own (each test sends the
 * ones it needs) and no send rate limit; `env` tunes the rest of the pipeline.
 */
export function startQuietTwilioStack(clock: FixedClock, env: Record<string, string>): Promise<TwilioStack> {
  return startTwilioStack({
    fake: { autoCallbacks: false },
    env: { SMS_RATE_PER_SECOND: FAST_SMS_ENV.SMS_RATE_PER_SECOND, ...env },
    clock,
  });
}

/** An organisation with `settings` and a professional of it, signed in. */
export async function makeSignedInProfessional(
  { dataSource, environment }: Pick<TwilioStack, 'dataSource' | 'environment'>,
  settings: Partial<OrganisationSettings>,
): Promise<{ organisation: OrganisationEntity; professional: UserEntity; token: string }> {
  const organisation = await makeOrganisation(dataSource, { settings });
  const professional = await makeUser(dataSource, { organisationId: organisation.id });
  return { organisation, professional, token: await signIn(dataSource, environment.config, professional) };
}

/** A text from `phone` to the service's number, posted (signed) to the inbound webhook as the provider does. */
export function textFromPhone(
  { fake, publicBaseUrl }: Pick<TwilioStack, 'fake' | 'publicBaseUrl'>,
  phone: string,
  body: string,
) {
  return fake.sendInbound({
    from: phone,
    to: '+33700000001',
    body,
    url: `${publicBaseUrl}/api/webhooks/twilio/inbound`,
  });
}

/** A parent's follow-up status: active, opted_out… */
export async function parentStatusOf(dataSource: DataSource, parentId: string): Promise<string> {
  const [parent] = await dataSource.query<Array<{ status: string }>>(
    `SELECT status FROM parents WHERE id = $1`,
    [parentId],
  );
  return parent!.status;
}

/** The parent holding the link `token` answers every item 0 through the questionnaire's real path. */
export async function answerThroughLink(app: INestApplicationContext, token: string): Promise<void> {
  const questionnaire = app.get(QuestionnaireService);
  const link = await questionnaire.resolve(token, '198.51.100.9');
  if (!('record' in link)) throw new Error(`link not open: ${link.kind}`);
  const outcome = await questionnaire.submit(link.record, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'fr', 'web_form', {
    ip: '198.51.100.9',
    requestId: null,
  });
  expect(outcome.kind).toBe('stored');
}
