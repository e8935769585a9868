import type { ApiKeyScope, UserRole } from '@lien/shared';

/** The signed-in user as every request sees it, read from the access token and checked against the database. */
export interface AuthUser {
  id: string;
  role: UserRole;
  organisationId: string | null;
  territory: { departements: string[]; region: string | null };
  /** The session (refresh-token family) of the access token, when the request carries one. */
  sessionId?: string;
  /**
   * Set when a partner API key authenticated the request: `id` is then the key's named owner (consent recorder),
   * the audit actor is the key, and only routes marked `@AllowApiKey(scope)` with one of its scopes are reachable.
   */
  apiKey?: { id: string; scopes: readonly ApiKeyScope[] };
}

/** Claims of the short-lived access token. */
export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  org: string | null;
  /** Session (refresh-token family) id: logout revokes it. */
  sid: string;
}

/** The organisation a professional or org admin acts in; every tenant repository method takes it. */
export interface OrgScope {
  organisationId: string;
}
