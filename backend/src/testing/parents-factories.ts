import 'reflect-metadata';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FixedClock } from '../common/clock.js';
import { FieldEncryption, foldName } from '../common/crypto/field-encryption.service.js';
import type { AppConfig } from '../config/config.js';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { ParentEntity } from '../modules/parents/parent.entity.js';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import { createTestApi, type TestEnvironment } from './test-app.js';

/** A free local TCP port (for an API whose own URL must be known before it starts: Twilio signs it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Like `createTestApi`, on a chosen port: the one PUBLIC_BASE_URL names, so signed webhooks reach it. */
export function createTestApiOnPort(environment: TestEnvironment, port: number): Promise<INestApplication> {
  return createTestApi(environment, {}, port);
}

/** A clock that runs with real time from an offset: for tests where retries and grace periods must elapse. */
export class RunningClock extends FixedClock {
  private offsetMs: number;
  constructor(start: Date) {
    super(start);
    this.offsetMs = start.getTime() - Date.now();
  }
  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  override set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
  override advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}

let phoneCounter = 0;
/** A distinct, valid French mobile number per call ("+3361" + 7 digits), distinct across parallel test files too. */
export function uniqueMobile(): string {
  phoneCounter += 1;
  const digits = String((process.pid % 100) * 100_000 + (phoneCounter % 100_000)).padStart(7, '0');
  return `+3361${digits}`;
}

/** A POST /api/parents body: a mother born on 26 February 2026, French, consenting; `overrides` win. */
export function enrolmentBody(
  firstName: string,
  lastName: string,
  phone: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    firstName,
    lastName,
    phone,
    role: 'mother',
    language: 'fr',
    birthDate: '2026-02-26',
    consent: { given: true, textVersion: '2026-01' },
    ...overrides,
  };
}

export interface ParentOverrides {
  firstName?: string;
  lastName?: string;
  phone?: string;
  birthDate?: string | null;
  expectedTermDate?: string | null;
  status?: ParentEntity['status'];
  language?: string;
  role?: ParentEntity['role'];
  referentUserId?: string | null;
  consentRecordedBy?: string;
}

/** A parent row (encrypted like the service does), without invitations. */
export async function makeParent(
  dataSource: DataSource,
  config: AppConfig,
  organisation: OrganisationEntity,
  overrides: ParentOverrides = {},
): Promise<ParentEntity & { phone: string }> {
  const encryption = new FieldEncryption(config);
  const phone = overrides.phone ?? uniqueMobile();
  const firstName = overrides.firstName ?? 'Camille';
  const lastName = overrides.lastName ?? 'Martin';
  const rows = await dataSource.query<Array<{ id: string }>>(
    `INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, first_name_index, last_name_index,
       role, language, birth_date, expected_term_date, referent_user_id, consent_recorded_by, consent_recorded_at, consent_text_version, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), 'test-1', $14) RETURNING id`,
    [
      organisation.id,
      encryption.encrypt(firstName),
      encryption.encrypt(lastName),
      encryption.encrypt(phone),
      encryption.blindIndex(phone),
      encryption.blindIndex(foldName(firstName)),
      encryption.blindIndex(foldName(lastName)),
      overrides.role ?? 'mother',
      overrides.language ?? 'fr',
      overrides.birthDate === undefined ? '2026-02-26' : overrides.birthDate,
      overrides.expectedTermDate ?? null,
      overrides.referentUserId ?? null,
      overrides.consentRecordedBy ?? '00000000-0000-4000-8000-000000000000',
      overrides.status ?? 'active',
    ],
  );
  const parent = await dataSource.getRepository(ParentEntity).findOneByOrFail({ id: rows[0]!.id });
  return Object.assign(parent, { phone });
}

/**
 * `count` active parents, each with one invitation and its pending invitation SMS due at `dueAt`, in a few
 * statements (fault tests and benches). Returns the SMS ids and the phone of each. With `kind: 'reminder'`, the
 * invitation was sent two days before `dueAt` (its link valid a week) and the pending SMS is its reminder.
 */
export async function makeDueSmsBatch(
  dataSource: DataSource,
  config: AppConfig,
  organisation: OrganisationEntity,
  count: number,
  dueAt: Date,
  options: { kind?: 'invitation' | 'reminder' } = {},
): Promise<Array<{ smsId: string; phone: string; parentId: string; invitationId: string }>> {
  const encryption = new FieldEncryption(config);
  const firstName = encryption.encrypt('Bench');
  const lastName = encryption.encrypt('Parent');
  const firstIndex = encryption.blindIndex('bench');
  const lastIndex = encryption.blindIndex('parent');
  const reminder = options.kind === 'reminder';
  const out: Array<{ smsId: string; phone: string; parentId: string; invitationId: string }> = [];
  const chunk = 2_000;
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    const phones = Array.from({ length: size }, () => uniqueMobile());
    const rows = await dataSource.query<
      Array<{ sms_id: string; parent_id: string; invitation_id: string; phone_index: string }>
    >(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(phone_enc, phone_index, n)
       ), p AS (
         INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, first_name_index, last_name_index,
           role, language, birth_date, consent_recorded_by, consent_recorded_at, consent_text_version)
         SELECT $1, $4, $5, phone_enc, phone_index, $6, $7, 'mother', 'fr', '2026-02-26', '00000000-0000-4000-8000-000000000000', now(), 'bench'
         FROM input ORDER BY n RETURNING id, phone_index
       ), i AS (
         INSERT INTO invitations (organisation_id, parent_id, wave, due_at, status, sent_at, expires_at)
         SELECT $1, id, 'day7', $8, $9::varchar,
                CASE WHEN $9::varchar = 'sent' THEN $8::timestamptz - interval '2 days' END,
                CASE WHEN $9::varchar = 'sent' THEN $8::timestamptz + interval '5 days' END
           FROM p RETURNING id, parent_id
       ), s AS (
         INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at)
         SELECT $1, parent_id, id, $10::varchar, $8 FROM i RETURNING id, parent_id, invitation_id
       )
       SELECT s.id AS sms_id, s.parent_id, s.invitation_id, p.phone_index FROM s JOIN p ON p.id = s.parent_id`,
      [
        organisation.id,
        phones.map((phone) => encryption.encrypt(phone)),
        phones.map((phone) => encryption.blindIndex(phone)),
        firstName,
        lastName,
        firstIndex,
        lastIndex,
        dueAt,
        reminder ? 'sent' : 'planned',
        reminder ? 'reminder' : 'invitation',
      ],
    );
    const phoneByIndex = new Map(phones.map((phone) => [encryption.blindIndex(phone), phone]));
    for (const row of rows)
      out.push({
        smsId: row.sms_id,
        parentId: row.parent_id,
        invitationId: row.invitation_id,
        phone: phoneByIndex.get(row.phone_index)!,
      });
  }
  return out;
}

/**
 * Compiles the backend (and `shared`, and the migrations) to runnable ESM JavaScript in a fresh directory under
 * `tmp/`, with swc (about a second), so a test can start the real worker as its own process and kill it.
 * `@lien/shared` imports are rewritten to the compiled shared sources. Returns the entry point of the worker.
 */
export function compileWorkerEntry(root = process.cwd()): { worker: string; outDir: string } {
  const outDir = path.join(root, 'tmp', `child-build-${process.pid}-${Date.now()}`);
  const sharedIndex = path.join(outDir, 'shared', 'src', 'index.js');
  const skip = (relative: string): boolean =>
    relative.endsWith('.spec.ts') ||
    relative.endsWith('.e2e.ts') ||
    relative.includes(`${path.sep}bench${path.sep}`) ||
    relative.includes(`${path.sep}testing${path.sep}`);
  const walk = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return walk(full);
      const source = entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts');
      // JSON the code imports (contract-schemas.json) is copied as it is.
      return entry.isFile() && (source || entry.name.endsWith('.json')) ? [full] : [];
    });
  for (const directory of ['backend/src', 'shared/src', 'migrations']) {
    for (const file of walk(path.join(root, directory))) {
      const relative = path.relative(root, file);
      if (skip(relative)) continue;
      if (relative.endsWith('.json')) {
        mkdirSync(path.dirname(path.join(outDir, relative)), { recursive: true });
        copyFileSync(file, path.join(outDir, relative));
        continue;
      }
      const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
      const { code } = transformFileSync(file, {
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
          // `with { type: 'json' }` stays: Node refuses a JSON import without it.
          experimental: { keepImportAttributes: true },
        },
        module: { type: 'es6' },
        sourceMaps: false,
      });
      let shared = path.relative(path.dirname(target), sharedIndex).split(path.sep).join('/');
      if (!shared.startsWith('.')) shared = `./${shared}`;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, code.replace(/(['"])@lien\/shared\1/g, `'${shared}'`));
    }
  }
  return { worker: path.join(outDir, 'backend', 'src', 'worker.js'), outDir };
}
