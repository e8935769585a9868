import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { getEpdsInstrument, type EpdsLanguage, type ParentRole } from '@lien/shared';
import { hashToken, randomToken } from '../common/crypto/field-encryption.service.js';
import { InvitationLinkEntity } from '../modules/invitations/invitation-link.entity.js';
import { InvitationEntity } from '../modules/invitations/invitation.entity.js';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { ParentEntity } from '../modules/parents/parent.entity.js';
import { ResponseEntity } from '../modules/questionnaire/response.entity.js';
import { SmsMessageEntity } from '../modules/sms/sms-message.entity.js';

/**
 * Rows the questionnaire reads, built straight through TypeORM (the SMS pipeline creates them in real life).
 * Names and phones are placeholders that look like ciphertexts: the questionnaire never reads them.
 */

export async function makeParent(
  dataSource: DataSource,
  organisation: OrganisationEntity,
  overrides: Partial<ParentEntity> & { role?: ParentRole } = {},
): Promise<ParentEntity> {
  const unique = randomUUID().replace(/-/g, '');
  return dataSource.getRepository(ParentEntity).save({
    organisationId: organisation.id,
    firstNameEnc: 'v1.1.placeholder',
    lastNameEnc: 'v1.1.placeholder',
    phoneEnc: 'v1.1.placeholder',
    phoneIndex: unique + unique.slice(0, 32),
    lastNameIndex: unique,
    firstNameIndex: unique,
    role: 'mother',
    language: 'fr',
    birthDate: '2026-02-20',
    expectedTermDate: null,
    referentUserId: null,
    consentRecordedBy: randomUUID(),
    consentRecordedAt: new Date('2026-02-21T10:00:00Z'),
    consentTextVersion: 'v1',
    status: 'active',
    statusChangedAt: null,
    ...overrides,
  });
}

export interface LinkedInvitation {
  parent: ParentEntity;
  invitation: InvitationEntity;
  /** Clear tokens, one per link (the SMS would carry them); only their hashes are stored. */
  tokens: string[];
}

/**
 * A sent invitation with `links` live links (invitation SMS, reminders), valid until `expiresAt`
 * (default: 7 days after `sentAt`).
 */
export async function makeLinkedInvitation(
  dataSource: DataSource,
  organisation: OrganisationEntity,
  options: {
    parent?: ParentEntity;
    parentOverrides?: Partial<ParentEntity>;
    invitation?: Partial<InvitationEntity>;
    links?: number;
  } = {},
): Promise<LinkedInvitation> {
  const parent = options.parent ?? (await makeParent(dataSource, organisation, options.parentOverrides));
  const sentAt = options.invitation?.sentAt ?? new Date('2026-03-01T09:00:00Z');
  const invitation = await dataSource.getRepository(InvitationEntity).save({
    organisationId: organisation.id,
    parentId: parent.id,
    wave: 'day7',
    dueAt: sentAt,
    deferredFrom: null,
    status: 'sent' as const,
    sentAt,
    expiresAt: new Date(sentAt.getTime() + 7 * 24 * 3600 * 1000),
    remindersSent: 0,
    openedAt: null,
    completedAt: null,
    createdBy: null,
    ...options.invitation,
  });
  const tokens = Array.from({ length: options.links ?? 1 }, () => randomToken());
  await dataSource.getRepository(InvitationLinkEntity).insert(
    tokens.map((token) => ({
      organisationId: organisation.id,
      invitationId: invitation.id,
      tokenHash: hashToken(token),
      smsMessageId: null,
    })),
  );
  return { parent, invitation, tokens };
}

/** An outbox row of an invitation (e.g. a pending reminder). */
export async function makeSmsMessage(
  dataSource: DataSource,
  invitation: InvitationEntity,
  overrides: Partial<SmsMessageEntity> = {},
): Promise<SmsMessageEntity> {
  return dataSource.getRepository(SmsMessageEntity).save({
    organisationId: invitation.organisationId,
    parentId: invitation.parentId,
    invitationId: invitation.id,
    kind: 'reminder' as const,
    dueAt: new Date('2026-03-03T09:00:00Z'),
    deferredFrom: null,
    status: 'pending' as const,
    statusHistory: [],
    ...overrides,
  });
}

/*
 * Reading the pages in tests. jsdom and the usual parsers ship as ES modules that jest (CommonJS) cannot load, and
 * the pages are our own well-formed HTML, so a small parser with a CSS-selector subset is enough:
 * `tag`, `#id`, `.class`, `[attr]`, `[attr=v]`, `[attr^=v]`, `[attr*=v]`, `:checked`, descendant and `>`.
 */

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style']);

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return (
      ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[
        lower
      ] ?? ''
    );
  });
}

interface SimpleSelector {
  tag: string | null;
  tests: ((element: HtmlElement) => boolean)[];
}

function parseCompound(text: string): SimpleSelector {
  const selector: SimpleSelector = { tag: null, tests: [] };
  const pattern = /^([a-z0-9*]+)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:([\^*]?=)"?([^"\]]*)"?)?\]|:checked/gi;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(text)) !== null) {
    consumed += match[0].length;
    const [, tag, id, className, attribute, operator, value] = match;
    if (tag) selector.tag = tag === '*' ? null : tag.toLowerCase();
    else if (id) selector.tests.push((element) => element.attrs.id === id);
    else if (className)
      selector.tests.push((element) => (element.attrs.class ?? '').split(/\s+/).includes(className));
    else if (attribute) {
      selector.tests.push((element) => {
        const actual = element.attrs[attribute];
        if (actual === undefined) return false;
        if (!operator) return true;
        if (operator === '=') return actual === value;
        if (operator === '^=') return actual.startsWith(value ?? '');
        return actual.includes(value ?? '');
      });
    } else selector.tests.push((element) => 'checked' in element.attrs);
  }
  if (consumed !== text.length) throw new Error(`unsupported selector part: ${text}`);
  return selector;
}

function matchesSimple(element: HtmlElement, selector: SimpleSelector): boolean {
  return (
    (selector.tag === null || element.tag === selector.tag) && selector.tests.every((test) => test(element))
  );
}

export class HtmlElement {
  readonly children: (HtmlElement | string)[] = [];
  constructor(
    readonly tag: string,
    readonly attrs: Record<string, string>,
    readonly parent: HtmlElement | null,
  ) {}

  attr(name: string): string | null {
    return this.attrs[name] ?? null;
  }

  get text(): string {
    return this.children.map((child) => (typeof child === 'string' ? child : child.text)).join('');
  }

  /** Every element below this one, in document order. */
  get descendants(): HtmlElement[] {
    return this.children.flatMap((child) => (typeof child === 'string' ? [] : [child, ...child.descendants]));
  }

  $$(selector: string): HtmlElement[] {
    return selector
      .split(',')
      .flatMap((one) => this.select(one.trim()))
      .filter((element, index, list) => list.indexOf(element) === index);
  }

  $(selector: string): HtmlElement | null {
    return this.$$(selector)[0] ?? null;
  }

  private select(selector: string): HtmlElement[] {
    const tokens = selector
      .replace(/\s*>\s*/g, ' > ')
      .split(/\s+/)
      .filter(Boolean);
    const parts: { selector: SimpleSelector; child: boolean }[] = [];
    for (let index = 0; index < tokens.length; index += 1) {
      const child = tokens[index] === '>';
      if (child) index += 1;
      parts.push({ selector: parseCompound(tokens[index] ?? ''), child });
    }
    const last = parts.at(-1);
    if (!last) return [];
    const matchesFrom = (element: HtmlElement, partIndex: number): boolean => {
      const part = parts[partIndex];
      if (!part || !matchesSimple(element, part.selector)) return false;
      if (partIndex === 0) return true;
      let ancestor = element.parent;
      while (ancestor && ancestor !== this.parent) {
        if (matchesFrom(ancestor, partIndex - 1)) return true;
        if (part.child) return false;
        ancestor = ancestor.parent;
      }
      return false;
    };
    return this.descendants.filter((element) => matchesFrom(element, parts.length - 1));
  }
}

/** Parses a page; the returned root's children are the top-level elements (html). */
export function parseHtml(
  html: string,
): HtmlElement & { title: string; lang: string | null; body: HtmlElement } {
  const root = new HtmlElement('#document', {}, null);
  let current = root;
  const pattern = /<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z][\w-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/gi;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(html)) !== null) {
    if (match.index > last) current.children.push(decodeEntities(html.slice(last, match.index)));
    last = pattern.lastIndex;
    const [whole, closing, rawTag, rawAttributes = ''] = match;
    if (!rawTag || whole.startsWith('<!')) continue;
    const tag = rawTag.toLowerCase();
    if (closing) {
      let open: HtmlElement | null = current;
      while (open && open.tag !== tag) open = open.parent;
      if (open?.parent) current = open.parent;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const attribute of rawAttributes.matchAll(
      /([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
    )) {
      const name = attribute[1]?.toLowerCase();
      if (name) attrs[name] = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    }
    const element = new HtmlElement(tag, attrs, current);
    current.children.push(element);
    if (RAW_TEXT_ELEMENTS.has(tag)) {
      const end = html.toLowerCase().indexOf(`</${tag}`, last);
      const stop = end === -1 ? html.length : end;
      element.children.push(html.slice(last, stop));
      pattern.lastIndex = stop;
      last = stop;
    } else if (!VOID_ELEMENTS.has(tag) && !rawAttributes.trim().endsWith('/')) {
      current = element;
    }
  }
  if (last < html.length) current.children.push(decodeEntities(html.slice(last)));
  const body = root.$('body') ?? root;
  return Object.assign(root, {
    title: root.$('title')?.text ?? '',
    lang: root.$('html')?.attr('lang') ?? null,
    body,
  });
}

/** Option indexes worth the given points per item, read from the instrument data (never a hard-coded answer). */
export function answersWorth(points: readonly number[], language: EpdsLanguage = 'fr'): number[] {
  return getEpdsInstrument(language).items.map((item, index) => {
    const option = item.options.findIndex((candidate) => candidate.points === points[index]);
    if (option < 0) throw new Error(`no option worth ${points[index]} on item ${item.number}`);
    return option;
  });
}

/**
 * A real response: the parent's answers posted through the questionnaire's JSON door with a live link token, so
 * scoring, the alert rules (item 10 included) and the audit run as in production. Returns the stored row.
 */
export async function answerInvitation(
  app: INestApplication,
  token: string,
  answers: readonly number[],
  language?: EpdsLanguage,
): Promise<ResponseEntity> {
  const reply = await request(app.getHttpServer())
    .post(`/api/public/questionnaires/${token}/responses`)
    .send({ answers, ...(language ? { language } : {}) });
  if (reply.status !== 201)
    throw new Error(`submission refused: ${reply.status} ${JSON.stringify(reply.body)}`);
  const link = await app
    .get(DataSource)
    .getRepository(InvitationLinkEntity)
    .findOneByOrFail({ tokenHash: hashToken(token) });
  return app
    .get(DataSource)
    .getRepository(ResponseEntity)
    .findOneByOrFail({ invitationId: link.invitationId });
}
