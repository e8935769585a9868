import type { LoginResponse, MeResponse, OidcConfigResponse } from '@lien/shared';

/** The auth endpoints' shapes come from the shared contract (shared/src/api/identity.ts). */
export type TokenPair = Pick<LoginResponse, 'accessToken' | 'refreshToken'> & { expiresIn?: number };
export type Me = MeResponse;
export type OidcConfig = OidcConfigResponse;

export type SignInResult =
  | { kind: 'signed_in' }
  | { kind: 'totp_required' }
  | {
      kind: 'totp_enrolment_required';
      enrolmentToken: string;
      secret: string | null;
      otpauthUrl: string | null;
    }
  | { kind: 'invalid_totp' }
  | { kind: 'invalid_credentials' }
  | { kind: 'locked' }
  | { kind: 'error'; message: string };
