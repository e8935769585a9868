import type { INestApplication } from '@nestjs/common';
import { generate } from 'otplib';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { OrganisationSettings, UserRole } from '@lien/shared';
import type { AppConfig } from '../config/config.js';
import { EmailMessageEntity } from '../modules/notifications/email-message.entity.js';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { PasswordService } from '../modules/users/password.service.js';
import type { UserEntity } from '../modules/users/user.entity.js';
import { makeOrganisation, makeUser, signIn } from './factories.js';

/** A password that passes the strength rule. */
export const TEST_PASSWORD = 'Correct-Horse-42-battery';

const passwords = new PasswordService();

/** A user who can sign in with `password` (argon2id, as the app stores it). */
export async function makeUserWithPassword(
  dataSource: DataSource,
  overrides: Partial<UserEntity> & { role?: UserRole; password?: string } = {},
): Promise<UserEntity> {
  const { password = TEST_PASSWORD, ...rest } = overrides;
  return makeUser(dataSource, { passwordHash: await passwords.hash(password), ...rest });
}

export function login(
  app: INestApplication,
  body: { email: string; password: string; totp?: string },
  ip?: string,
): request.Test {
  const call = request(app.getHttpServer()).post('/api/auth/login');
  if (ip) call.set('X-Forwarded-For', ip);
  return call.send(body);
}

/** The TOTP code of a Base32 secret at an instant (the app checks codes against its Clock). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** The newest email to an address (outbox row). */
export async function latestEmailTo(
  dataSource: DataSource,
  address: string,
): Promise<EmailMessageEntity | null> {
  return dataSource
    .getRepository(EmailMessageEntity)
    .findOne({ where: { toAddress: address.toLowerCase() }, order: { createdAt: 'DESC' } });
}

/** The one-time token of a set-password link in an email body (in the URL fragment, never the query). */
export function linkTokenOf(body: string): string {
  const match = /\/set-password#token=([A-Za-z0-9_%-]+)/.exec(body);
  if (!match?.[1]) throw new Error('no set-password link in the email');
  return decodeURIComponent(match[1]);
}

export interface SignedInUser {
  user: UserEntity;
  token: string;
}

/**
 * The authorization matrix's world: organisation A (62, Hauts-de-France) with a professional and an org admin,
 * organisation B (57, Grand Est) with the same, organisation C (59, Hauts-de-France, another organisation of the
 * same territory), a coordinator for département 62 and 59, and a platform admin — each with a session.
 */
export interface IdentityWorld {
  orgA: OrganisationEntity;
  orgB: OrganisationEntity;
  orgC: OrganisationEntity;
  professionalA: SignedInUser;
  orgAdminA: SignedInUser;
  professionalB: SignedInUser;
  orgAdminB: SignedInUser;
  coordinator: SignedInUser;
  platformAdmin: SignedInUser;
}

export async function makeIdentityWorld(
  dataSource: DataSource,
  config: AppConfig,
  settings: Partial<OrganisationSettings> = {},
): Promise<IdentityWorld> {
  const orgA = await makeOrganisation(dataSource, {
    name: 'PMI Pas-de-Calais',
    departement: '62',
    region: 'Hauts-de-France',
    smsSender: 'PMI62',
    settings,
  });
  const orgB = await makeOrganisation(dataSource, {
    name: 'PMI Moselle',
    departement: '57',
    region: 'Grand Est',
    smsSender: 'PMI57',
    settings,
  });
  const orgC = await makeOrganisation(dataSource, {
    name: 'Maternité de Lille',
    kind: 'maternity',
    departement: '59',
    region: 'Hauts-de-France',
    smsSender: 'Lille',
    settings,
  });
  const signed = async (overrides: Partial<UserEntity> & { role: UserRole }): Promise<SignedInUser> => {
    const user = await makeUser(dataSource, overrides);
    return { user, token: await signIn(dataSource, config, user) };
  };
  return {
    orgA,
    orgB,
    orgC,
    professionalA: await signed({ role: 'professional', organisationId: orgA.id, displayName: 'Pro A' }),
    orgAdminA: await signed({ role: 'org_admin', organisationId: orgA.id, displayName: 'Admin A' }),
    professionalB: await signed({ role: 'professional', organisationId: orgB.id, displayName: 'Pro B' }),
    orgAdminB: await signed({ role: 'org_admin', organisationId: orgB.id, displayName: 'Admin B' }),
    coordinator: await signed({
      role: 'coordinator',
      territoryDepartements: ['59', '62'],
      displayName: 'Coordinator 62/59',
    }),
    platformAdmin: await signed({ role: 'platform_admin', displayName: 'Platform admin' }),
  };
}
