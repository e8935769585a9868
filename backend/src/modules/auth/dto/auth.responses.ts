import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PERMISSIONS } from '@lien/shared';
import type {
  LoginResponse,
  MeResponse,
  MfaState,
  OidcConfigResponse,
  OidcLinkStartResponse,
  TotpSetupResponse,
  UserTerritory,
} from '@lien/shared';

type MeResponseOrganisationShape = NonNullable<MeResponse['organisation']>;

@ApiSchema({ name: 'MfaState' })
export class MfaStateResponse implements MfaState {
  @ApiProperty({ type: Boolean })
  totpEnabled!: MfaState['totpEnabled'];

  @ApiProperty({
    type: Boolean,
    description: 'The organisation requires a second factor (settings.requireMfa).',
  })
  required!: MfaState['required'];
}

@ApiSchema({ name: 'UserTerritory' })
export class UserTerritoryResponse implements UserTerritory {
  @ApiProperty({ type: String, isArray: true })
  departements!: UserTerritory['departements'];

  @ApiProperty({ type: String, nullable: true })
  region!: UserTerritory['region'];
}

@ApiSchema({ name: 'MeResponseOrganisation' })
export class MeResponseOrganisationResponse implements MeResponseOrganisationShape {
  @ApiProperty({ type: String })
  id!: MeResponseOrganisationShape['id'];

  @ApiProperty({ type: String })
  name!: MeResponseOrganisationShape['name'];

  @ApiProperty({ type: String })
  timeZone!: MeResponseOrganisationShape['timeZone'];
}

/** POST /api/auth/oidc/link/start (signed in): where to send the browser to link an identity. */
@ApiSchema({ name: 'OidcLinkStartResponse' })
export class OidcLinkStartResponseDto implements OidcLinkStartResponse {
  @ApiProperty({ type: String })
  url!: OidcLinkStartResponse['url'];
}

/** GET /api/auth/oidc/config (public): whether to show the "Sign in with …" button. */
@ApiSchema({ name: 'OidcConfigResponse' })
export class OidcConfigResponseDto implements OidcConfigResponse {
  @ApiProperty({ type: Boolean })
  enabled!: OidcConfigResponse['enabled'];

  @ApiProperty({ type: String, nullable: true })
  displayName!: OidcConfigResponse['displayName'];
}

/** POST /api/auth/totp/setup (signed in) and POST /api/auth/totp/enrol/setup (with an enrolment token). */
@ApiSchema({ name: 'TotpSetupResponse' })
export class TotpSetupResponseDto implements TotpSetupResponse {
  @ApiProperty({ type: String, description: 'otpauth:// URI to show as a QR code.' })
  otpauthUrl!: TotpSetupResponse['otpauthUrl'];

  @ApiProperty({ type: String, description: 'The same secret in Base32, for manual entry.' })
  secret!: TotpSetupResponse['secret'];
}

/** GET /api/auth/me */
@ApiSchema({ name: 'MeResponse' })
export class MeResponseDto implements MeResponse {
  @ApiProperty({ type: String })
  id!: MeResponse['id'];

  @ApiProperty({ type: String })
  email!: MeResponse['email'];

  @ApiProperty({ type: String })
  displayName!: MeResponse['displayName'];

  @ApiProperty({ enum: ['professional', 'org_admin', 'coordinator', 'platform_admin'] })
  role!: MeResponse['role'];

  @ApiProperty({ type: () => MeResponseOrganisationResponse, nullable: true })
  organisation!: MeResponse['organisation'];

  @ApiProperty({ type: () => UserTerritoryResponse })
  territory!: MeResponse['territory'];

  @ApiProperty({ enum: [...PERMISSIONS], isArray: true })
  permissions!: MeResponse['permissions'];

  @ApiProperty({ type: () => MfaStateResponse })
  mfa!: MeResponse['mfa'];

  @ApiProperty({ type: Boolean, description: 'Linked to an OpenID Connect identity (Pro Santé Connect).' })
  oidcLinked!: MeResponse['oidcLinked'];
}

/** Answer of login, refresh, TOTP enrolment at login, and (in the URL fragment) of the OpenID Connect callback. */
@ApiSchema({ name: 'LoginResponse' })
export class LoginResponseDto implements LoginResponse {
  @ApiProperty({
    type: String,
    description: 'Send as `Authorization: Bearer <accessToken>`',
    example: 'eyJhbGciOiJIUzI1NiIs…',
  })
  accessToken!: LoginResponse['accessToken'];

  @ApiProperty({ type: String, description: 'For POST /api/auth/refresh and /logout (single use)' })
  refreshToken!: LoginResponse['refreshToken'];

  @ApiProperty({ type: Number, description: 'Access-token lifetime in seconds.', example: 900 })
  expiresIn!: LoginResponse['expiresIn'];
}

/** `POST /api/auth/totp/confirm` and `/disable`: the new state. */
@ApiSchema({ name: 'TotpState' })
export class TotpStateResponse {
  @ApiProperty({ type: Boolean })
  totpEnabled!: boolean;
}
