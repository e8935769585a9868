import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import {
  getEpdsInstrument,
  scoreEpds,
  type InvitationStatus,
  type ParentRole,
  type SmsStatus,
} from '@lien/shared';
import type { AppConfig } from '../config/config.js';
import { FieldEncryption, foldName } from '../common/crypto/field-encryption.service.js';
import { AlertEntity } from '../modules/alerts/alert.entity.js';
import { AlertRulesService } from '../modules/alerts/alert-rules.service.js';
import { InvitationEntity } from '../modules/invitations/invitation.entity.js';
import { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { ParentEntity } from '../modules/parents/parent.entity.js';
import { ResponseEntity } from '../modules/questionnaire/response.entity.js';
import { SmsMessageEntity } from '../modules/sms/sms-message.entity.js';
import { startApiAndWorker, stopApiAndWorker, type ApiAndWorker } from './test-app.js';

/** Test rows for the alerts feature: parents (encrypted like the real ones), invitations, SMS, responses. */

/** Inserts one row and reads it back, with what the database filled in (ids, defaults, trigger columns). */
async function insertRow<Entity extends { id: string }>(
  dataSource: DataSource,
  entity: EntityTarget<Entity>,
  values: QueryDeepPartialEntity<Entity>,
): Promise<Entity> {
  const result = await dataSource.getRepository(entity).insert(values);
  const id = (result.identifiers[0] as { id: string }).id;
  return dataSource.getRepository(entity).findOneByOrFail({ id } as FindOptionsWhere<Entity>);
}

export async function makeAlertParent(
  dataSource: DataSource,
  config: AppConfig,
  overrides: {
    organisationId: string;
    role?: ParentRole;
    referentUserId?: string | null;
    firstName?: string;
    lastName?: string;
    phone?: string;
    createdAt?: Date;
    consentRecordedBy?: string;
  },
): Promise<ParentEntity> {
  const encryption = new FieldEncryption(config);
  const firstName = overrides.firstName ?? 'Camille';
  const lastName = overrides.lastName ?? 'Martin';
  const phone = overrides.phone ?? `+3361234${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const values: QueryDeepPartialEntity<ParentEntity> = {
    organisationId: overrides.organisationId,
    firstNameEnc: encryption.encrypt(firstName),
    lastNameEnc: encryption.encrypt(lastName),
    phoneEnc: encryption.encrypt(phone),
    phoneIndex: encryption.blindIndex(`${phone}-${randomUUID()}`),
    lastNameIndex: encryption.blindIndex(foldName(lastName)),
    firstNameIndex: encryption.blindIndex(foldName(firstName)),
    role: overrides.role ?? 'mother',
    language: 'fr',
    birthDate: '2026-02-20',
    referentUserId: overrides.referentUserId ?? null,
    consentRecordedBy: overrides.consentRecordedBy ?? randomUUID(),
    consentRecordedAt: overrides.createdAt ?? new Date('2026-02-21T09:00:00Z'),
    consentTextVersion: 'v1',
    status: 'active',
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  };
  return insertRow(dataSource, ParentEntity, values);
}

export async function makeInvitation(
  dataSource: DataSource,
  parent: ParentEntity,
  overrides: Partial<
    Pick<InvitationEntity, 'wave' | 'dueAt' | 'sentAt' | 'expiresAt' | 'openedAt' | 'createdAt'>
  > & { status?: InvitationStatus } = {},
): Promise<InvitationEntity> {
  return insertRow(dataSource, InvitationEntity, {
    organisationId: parent.organisationId,
    parentId: parent.id,
    wave: overrides.wave ?? 'adhoc',
    dueAt: overrides.dueAt ?? new Date('2026-02-27T09:00:00Z'),
    status: overrides.status ?? 'sent',
    sentAt: overrides.sentAt ?? new Date('2026-02-27T09:00:00Z'),
    expiresAt: overrides.expiresAt ?? new Date('2026-03-06T09:00:00Z'),
    openedAt: overrides.openedAt ?? null,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}

export async function makeSmsMessage(
  dataSource: DataSource,
  invitation: InvitationEntity,
  overrides: {
    status?: SmsStatus;
    kind?: 'invitation' | 'reminder';
    sentAt?: Date | null;
    dueAt?: Date;
  } = {},
): Promise<SmsMessageEntity> {
  const status = overrides.status ?? 'delivered';
  const sentAt = overrides.sentAt === undefined ? invitation.sentAt : overrides.sentAt;
  return insertRow(dataSource, SmsMessageEntity, {
    organisationId: invitation.organisationId,
    parentId: invitation.parentId,
    invitationId: invitation.id,
    kind: overrides.kind ?? 'invitation',
    dueAt: overrides.dueAt ?? invitation.dueAt,
    status,
    sentAt,
    segments: 1,
    encoding: 'GSM-7',
    statusHistory: [{ status, at: (sentAt ?? invitation.dueAt).toISOString() }],
  });
}

/** Option indexes (canonical order) that give these points per item, for the French instrument. */
export function answersForPoints(points: readonly number[]): number[] {
  const instrument = getEpdsInstrument('fr');
  return instrument.items.map((item, index) => {
    const wanted = points[index] ?? 0;
    const option = item.options.findIndex((candidate) => candidate.points === wanted);
    if (option < 0) throw new RangeError(`item ${item.number} has no option worth ${wanted}`);
    return option;
  });
}

/** Points for items 1..10 summing to `total` without touching items 3, 4, 5 (anxiety) and 10 (self-harm) unless given. */
export function pointsFor(total: number, fixed: Partial<Record<number, number>> = {}): number[] {
  const points = Array.from({ length: 10 }, (_, index) => fixed[index + 1] ?? 0);
  let remaining = total - points.reduce((sum, value) => sum + value, 0);
  for (const item of [1, 2, 6, 7, 8, 9, 3, 4, 5]) {
    if (fixed[item] !== undefined) continue;
    const add = Math.min(3, Math.max(0, remaining));
    points[item - 1] = add;
    remaining -= add;
  }
  if (remaining !== 0) throw new RangeError(`cannot reach ${total} with the fixed items`);
  return points;
}

/**
 * Stores a scored response the way the questionnaire does: in one transaction with AlertRulesService.onResponse.
 * Scoring uses the shared module with the organisation's thresholds for the parent's role.
 */
export async function storeResponse(
  app: INestApplicationContext,
  input: {
    organisation: OrganisationEntity;
    parent: ParentEntity;
    invitation: InvitationEntity;
    answers: number[];
    createdAt?: Date;
  },
): Promise<ResponseEntity> {
  const dataSource = app.get(DataSource);
  const rules = app.get(AlertRulesService);
  const { organisation, parent, invitation } = input;
  const instrument = getEpdsInstrument('fr');
  const score = scoreEpds(
    input.answers,
    instrument,
    organisation.settings.thresholds[parent.role],
    organisation.settings.anxietyThreshold,
  );
  return dataSource.transaction(async (manager) => {
    const inserted = await manager.insert(ResponseEntity, {
      organisationId: organisation.id,
      parentId: parent.id,
      invitationId: invitation.id,
      wave: invitation.wave,
      parentRole: parent.role,
      instrumentId: instrument.id,
      instrumentVersion: instrument.version,
      language: 'fr',
      channel: 'web_form',
      answers: input.answers,
      itemPoints: score.itemPoints,
      score: score.total,
      band: score.band,
      item10Positive: score.item10Positive,
      anxietyScore: score.anxietyScore,
      anxietyFlag: score.anxietyFlag,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    });
    const response = await manager.findOneByOrFail(ResponseEntity, {
      id: (inserted.identifiers[0] as { id: string }).id,
    });
    await manager.update(
      InvitationEntity,
      { id: invitation.id },
      { status: 'completed', completedAt: response.createdAt },
    );
    await rules.onResponse(organisation, manager, response, parent);
    return response;
  });
}

export function openAlertOf(dataSource: DataSource, parentId: string): Promise<AlertEntity | null> {
  return dataSource
    .getRepository(AlertEntity)
    .createQueryBuilder('alert')
    .where("alert.parentId = :parentId AND alert.status <> 'closed'", { parentId })
    .getOne();
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers + body) as the SMTP server received it. */
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<ReceivedMail[]>;
  close: () => Promise<void>;
}

/** A real SMTP server in-process (the `smtp-server` package), plain text on 127.0.0.1: what nodemailer sends arrives here. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const { SMTPServer } = await import('smtp-server');
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({
          from,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    waitFor: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} emails, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A spec's API and worker sending their mail to a test SMTP server. */
export interface MailStack extends ApiAndWorker {
  smtp: TestSmtpServer;
}

/** For `beforeAll`: the SMTP server, then `startApiAndWorker` with SMTP_URL on it plus `env`. */
export async function startMailStack(env: Record<string, string> = {}): Promise<MailStack> {
  const smtp = await startSmtpServer();
  try {
    return { smtp, ...(await startApiAndWorker({ SMTP_URL: smtp.url, ...env })) };
  } catch (error) {
    await smtp.close();
    throw error;
  }
}

/** For `afterAll`: closes what `startMailStack` opened. */
export async function stopMailStack(stack: Partial<MailStack>): Promise<void> {
  await stopApiAndWorker(stack);
  await stack.smtp?.close();
}

/** The decoded text body of a received message (quoted-printable or plain), for content checks. */
export function mailText(mail: ReceivedMail): string {
  const [headers = '', ...rest] = mail.raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const subjectLine = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(headers)?.[1] ?? '';
  const subject = decodeMimeWords(subjectLine.replace(/\r?\n[ \t]/g, ' '));
  const decoded = /Content-Transfer-Encoding: quoted-printable/i.test(headers)
    ? body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : /Content-Transfer-Encoding: base64/i.test(headers)
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('latin1')
      : body;
  return `${subject}\n${Buffer.from(decoded, 'latin1').toString('utf8')}`;
}

function decodeMimeWords(text: string): string {
  return text.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, encoding: string, data: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** An alert row straight in the table (for list, workflow and bench tests); deadlines default from `createdAt`. */
export async function makeAlert(
  dataSource: DataSource,
  parent: ParentEntity,
  overrides: Partial<Omit<AlertEntity, 'parent'>> = {},
): Promise<AlertEntity> {
  const severity = overrides.severity ?? 'moderate';
  const createdAt = overrides.createdAt ?? new Date('2026-03-02T08:00:00Z');
  return insertRow(dataSource, AlertEntity, {
    organisationId: parent.organisationId,
    parentId: parent.id,
    severity,
    severityRank: { urgent: 0, high: 1, moderate: 2, low: 3 }[severity],
    reasons: overrides.reasons ?? ['moderate_score'],
    status: 'open',
    assigneeId: parent.referentUserId,
    acknowledgeDueAt: new Date(createdAt.getTime() + 48 * 3_600_000),
    contactDueAt: new Date(createdAt.getTime() + 5 * 24 * 3_600_000),
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  });
}
