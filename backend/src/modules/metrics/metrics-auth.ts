import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export type ScrapeVerdict = 'allowed' | 'disabled' | 'refused';

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time; no token configured = metrics off. */
export function checkScrape(token: string | null, authorization: string | undefined): ScrapeVerdict {
  if (!token) return 'disabled';
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  if (!match?.[1]) return 'refused';
  return timingSafeEqual(digest(match[1]), digest(token)) ? 'allowed' : 'refused';
}
