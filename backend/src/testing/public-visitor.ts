// Jest's globals in the app build too, which compiles backend/src/testing for the bench.
/// <reference types="jest" />
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { FixedClock } from '../common/clock.js';
import { SCREENING_MIN_SECONDS } from '../modules/screening/screening.service.js';

/** A parent's browser on the public pages (questionnaire, self-screening), seen from one address at a time. */
export interface PublicVisitor {
  /** The address this test speaks from. */
  address: () => string;
  /** Speaks from `address` until the next test. */
  speakFrom: (address: string) => void;
  get: (path: string) => request.Test;
  /** A form post, as a browser without JavaScript sends it. */
  postForm: (path: string, body: Record<string, string | string[]> | string) => request.Test;
  /** A JSON post (the caller sends the body). */
  post: (path: string) => request.Test;
}

/**
 * For a describe block: a `PublicVisitor` of `app` that speaks from a new address in each test (`addressOf` the
 * test's number, through a `beforeEach`), so the rate limits and the link-guess limiter one test trips never block
 * the next.
 */
export function publicVisitorPerTest(
  app: () => INestApplication,
  addressOf: (testNumber: number) => string,
): PublicVisitor {
  let tests = 0;
  let address = '';
  beforeEach(() => {
    tests += 1;
    address = addressOf(tests);
  });
  const from = (test: request.Test) => test.set('X-Forwarded-For', address);
  const http = () => request(app().getHttpServer());
  return {
    address: () => address,
    speakFrom: (next) => {
      address = next;
    },
    get: (path) => from(http().get(path)),
    postForm: (path, body) => from(http().post(path)).type('form').send(body),
    post: (path) => from(http().post(path)),
  };
}

/** The stamp (`ts`) of the form on a public page. */
export function formStampOf(html: string): string {
  const match = /name="ts" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no form stamp on the page');
  return match[1];
}

/**
 * The self-screening form at `path`: the page opened, `waitMs` of reading (the stamp has a time floor) on the
 * test's clock, then the form sent for a mother of a 3-week-old without a postal code, unless `fields` say
 * otherwise.
 */
export async function screenAfterReading(
  visitor: PublicVisitor,
  clock: FixedClock,
  fields: Record<string, string>,
  path = '/depistage',
  waitMs = (SCREENING_MIN_SECONDS + 40) * 1000,
): Promise<request.Response> {
  const page = await visitor.get(path).expect(200);
  clock.advance(waitMs);
  return visitor.postForm(path, {
    lang: 'fr',
    ts: formStampOf(page.text),
    role: 'mother',
    age: '3',
    cp: '',
    ...fields,
  });
}
