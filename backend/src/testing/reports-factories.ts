import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { AlertSeverity, CloseOutcome, EpdsBand, ParentRole, ReportSummary } from '@lien/shared';
import type { AppConfig } from '../config/config.js';
import { AlertEntity } from '../modules/alerts/alert.entity.js';
import { InvitationEntity } from '../modules/invitations/invitation.entity.js';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { ParentEntity } from '../modules/parents/parent.entity.js';
import { ResponseEntity } from '../modules/questionnaire/response.entity.js';
import { SmsMessageEntity } from '../modules/sms/sms-message.entity.js';
import type { UserEntity } from '../modules/users/user.entity.js';
import { signedBy, startTestApiWith, type TestApi } from './api-spec.js';
import { insertRow, makeOrganisation, makeUser, signIn } from './factories.js';

/**
 * Source rows for report tests, written straight into the tables (the report triggers see them as they
 * would see the services' writes). Names and phones are placeholders: reports never read them.
 */
export async function reportParent(
  dataSource: DataSource,
  organisation: Pick<OrganisationEntity, 'id'>,
  overrides: Partial<ParentEntity> = {},
): Promise<ParentEntity> {
  const blind = () => randomBytes(16).toString('hex');
  const values: QueryDeepPartialEntity<ParentEntity> = {
    organisationId: organisation.id,
    firstNameEnc: 'placeholder',
    lastNameEnc: 'placeholder',
    phoneEnc: 'placeholder',
    phoneIndex: blind(),
    lastNameIndex: blind(),
    firstNameIndex: blind(),
    role: 'mother',
    language: 'fr',
    birthDate: null,
    expectedTermDate: null,
    referentUserId: null,
    consentRecordedBy: randomUUID(),
    consentRecordedAt: new Date('2026-01-01T00:00:00Z'),
    consentTextVersion: 'test-v1',
    status: 'active',
    statusChangedAt: null,
    ...(overrides as QueryDeepPartialEntity<ParentEntity>),
  };
  return insertRow(dataSource, ParentEntity, values);
}

export async function reportInvitation(
  dataSource: DataSource,
  parent: Pick<ParentEntity, 'id' | 'organisationId'>,
  overrides: Partial<InvitationEntity> = {},
): Promise<InvitationEntity> {
  const values: QueryDeepPartialEntity<InvitationEntity> = {
    organisationId: parent.organisationId,
    parentId: parent.id,
    wave: 'day7',
    dueAt: new Date('2026-01-10T09:00:00Z'),
    status: 'planned',
    ...(overrides as QueryDeepPartialEntity<InvitationEntity>),
  };
  return insertRow(dataSource, InvitationEntity, values);
}

export async function reportSms(
  dataSource: DataSource,
  invitation: Pick<InvitationEntity, 'id' | 'organisationId' | 'parentId' | 'dueAt'>,
  overrides: Partial<SmsMessageEntity> = {},
): Promise<SmsMessageEntity> {
  const values: QueryDeepPartialEntity<SmsMessageEntity> = {
    organisationId: invitation.organisationId,
    parentId: invitation.parentId,
    invitationId: invitation.id,
    kind: 'invitation',
    dueAt: invitation.dueAt,
    status: 'pending',
    ...(overrides as QueryDeepPartialEntity<SmsMessageEntity>),
  };
  return insertRow(dataSource, SmsMessageEntity, values);
}

export interface ReportResponseOverrides {
  band?: EpdsBand;
  /** The band's usual score unless told (15 high, 11 moderate, 4 low). */
  score?: number;
  alertId?: string | null;
  item10Positive?: boolean;
  anxietyFlag?: boolean;
  createdAt?: Date;
  parentRole?: ParentRole;
}

export async function reportResponse(
  dataSource: DataSource,
  invitation: Pick<InvitationEntity, 'id' | 'organisationId' | 'parentId' | 'wave'>,
  overrides: ReportResponseOverrides = {},
): Promise<ResponseEntity> {
  const band = overrides.band ?? 'low';
  const score = overrides.score ?? (band === 'high' ? 15 : band === 'moderate' ? 11 : 4);
  const values: QueryDeepPartialEntity<ResponseEntity> = {
    organisationId: invitation.organisationId,
    parentId: invitation.parentId,
    invitationId: invitation.id,
    wave: invitation.wave,
    parentRole: overrides.parentRole ?? 'mother',
    instrumentId: 'epds',
    instrumentVersion: '1',
    language: 'fr',
    channel: 'web_form',
    answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    itemPoints: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    score,
    band,
    item10Positive: overrides.item10Positive ?? false,
    anxietyScore: overrides.anxietyFlag ? 6 : 1,
    anxietyFlag: overrides.anxietyFlag ?? false,
    alertId: overrides.alertId ?? null,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  };
  return insertRow(dataSource, ResponseEntity, values);
}

const RANK: Record<AlertSeverity, number> = { urgent: 0, high: 1, moderate: 2, low: 3 };

export interface ReportAlertOverrides extends Partial<Omit<AlertEntity, 'outcome'>> {
  outcome?: CloseOutcome | null;
}

export async function reportAlert(
  dataSource: DataSource,
  parent: Pick<ParentEntity, 'id' | 'organisationId'>,
  overrides: ReportAlertOverrides = {},
): Promise<AlertEntity> {
  const severity = overrides.severity ?? 'high';
  const createdAt = overrides.createdAt ?? new Date('2026-01-12T10:00:00Z');
  const values: QueryDeepPartialEntity<AlertEntity> = {
    organisationId: parent.organisationId,
    parentId: parent.id,
    severity,
    severityRank: RANK[severity],
    reasons: ['high_score'],
    status: 'open',
    acknowledgeDueAt: new Date(createdAt.getTime() + 4 * 3600_000),
    contactDueAt: new Date(createdAt.getTime() + 24 * 3600_000),
    createdAt,
    ...(overrides as QueryDeepPartialEntity<AlertEntity>),
  };
  return insertRow(dataSource, AlertEntity, values);
}

/** `minutes` after `at`. */
export function minutesAfter(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

/** A small deterministic generator: the same "random" sequence on every run. */
export function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (probability: number) => next() < probability,
  };
}

/** Three organisations whose local days differ: Lens (Paris), Saint-Denis (La Réunion) and Cayenne (Guyane). */
export async function makeZoneOrganisations(dataSource: DataSource): Promise<OrganisationEntity[]> {
  return [
    await makeOrganisation(dataSource, { name: 'PMI Lens', departement: '62', smsSender: 'Lens' }),
    await makeOrganisation(dataSource, {
      name: 'PMI Saint-Denis',
      departement: '974',
      region: 'La Réunion',
      timeZone: 'Indian/Reunion',
      smsSender: 'Reunion',
    }),
    await makeOrganisation(dataSource, {
      name: 'PMI Cayenne',
      departement: '973',
      region: 'Guyane',
      timeZone: 'America/Cayenne',
      smsSender: 'Cayenne',
    }),
  ];
}

/** An organisation (62) whose time zone Postgres does not know: its reports count its days in Europe/Paris. */
export function makeUnknownZoneOrganisation(
  dataSource: DataSource,
  name: string,
): Promise<OrganisationEntity> {
  return makeOrganisation(dataSource, {
    name,
    departement: '62',
    smsSender: 'Odd',
    timeZone: 'Mars/Olympus',
  });
}

/** PMI Arras (62, Hauts-de-France) and PMI Metz (57, Grand Est): two départements in two regions. */
export async function makeArrasAndMetz(
  dataSource: DataSource,
): Promise<{ arras: OrganisationEntity; metz: OrganisationEntity }> {
  return {
    arras: await makeOrganisation(dataSource, {
      name: 'PMI Arras',
      departement: '62',
      region: 'Hauts-de-France',
      smsSender: 'PMIArras',
    }),
    metz: await makeOrganisation(dataSource, {
      name: 'PMI Metz',
      departement: '57',
      region: 'Grand Est',
      smsSender: 'PMIMetz',
    }),
  };
}

/** A session for each named user: the `who` of `reportSummary`. */
export async function signInEach(
  dataSource: DataSource,
  config: AppConfig,
  users: Record<string, UserEntity>,
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const [name, user] of Object.entries(users)) tokens[name] = await signIn(dataSource, config, user);
  return tokens;
}

/** GET /api/reports/summary with `query`, signed in with `token`, answered `status`. */
export async function reportSummary(
  app: INestApplication,
  token: string,
  query: Record<string, string> = {},
  status = 200,
): Promise<ReportSummary> {
  const response = await signedBy(app, token).get('/api/reports/summary').query(query).expect(status);
  return response.body as ReportSummary;
}

/** A reports spec's API, its territory and a session per named user. */
export interface ReportsApi<Territory> extends TestApi {
  orgs: Territory;
  tokens: Record<string, string>;
  /** `reportSummary` signed in as the user named `who`. */
  summary: (who: string, query?: Record<string, string>, status?: number) => Promise<ReportSummary>;
}

/** A reports spec's readers: `makeUser` overrides by the name `summary` takes, given the territory. */
export type ReportUsers<Territory> = (orgs: Territory) => Record<string, Parameters<typeof makeUser>[1]>;

/**
 * For `beforeAll`: `startTestApi`, the territory `build` makes, and the users `users` names (`makeUser` overrides,
 * given the territory) signed in; `stopTestApi` closes it.
 */
export function startReportsApi<Territory>(
  build: (dataSource: DataSource) => Promise<Territory>,
  users: ReportUsers<Territory>,
): Promise<ReportsApi<Territory>> {
  return startTestApiWith(async ({ api, dataSource, environment }) => {
    const orgs = await build(dataSource);
    const made: Record<string, UserEntity> = {};
    for (const [name, overrides] of Object.entries(users(orgs)))
      made[name] = await makeUser(dataSource, overrides);
    const tokens = await signInEach(dataSource, environment.config, made);
    const summary = (who: string, query: Record<string, string> = {}, status = 200) =>
      reportSummary(api, tokens[who]!, query, status);
    return { orgs, tokens, summary };
  });
}
