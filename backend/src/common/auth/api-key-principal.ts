import type { AuthUser } from './auth-user.js';

/** Partner keys are recognisable (in a header, a log or a leak) by their prefix. */
export const API_KEY_PATTERN = /^lien_(live|test)_[A-Za-z0-9_-]{43}$/;
export const looksLikeApiKey = (token: string): boolean =>
  token.startsWith('lien_live_') || token.startsWith('lien_test_');

/**
 * Turns a presented partner key into the principal acting for its organisation, or throws the house error:
 * 401 unknown, revoked or expired key; 403 outside its IP allow-list; 429 above its rate. Provided by the
 * api-keys module under this token (the guard stays free of feature code).
 */
export interface ApiKeyAuthenticator {
  authenticate(key: string, ip: string | null): Promise<AuthUser>;
  /** Audits one accepted request of the key (actor = the key's id), whatever the route records besides. */
  recordUse(principal: AuthUser, use: ApiKeyUse): Promise<void>;
}

export interface ApiKeyUse {
  method: string;
  /** The route's template (`/api/parents/:id`), never the query string. */
  route: string;
  ip: string | null;
  requestId: string | null;
}
export const API_KEY_AUTHENTICATOR = Symbol('API_KEY_AUTHENTICATOR');
