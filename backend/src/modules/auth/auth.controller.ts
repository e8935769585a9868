import { Body } from '@nestjs/common';
import type { LoginResponse, MeResponse, TotpSetupResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Caller, CurrentUser } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { ApiController, PublicRoute, Route } from '../../common/route.js';
import type { AuditContext } from '../audit/audit.service.js';
import { ChangePasswordDto } from '../users/dto/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import {
  LoginDto,
  LogoutDto,
  RefreshDto,
  TotpCodeDto,
  TotpEnrolmentConfirmDto,
  TotpEnrolmentSetupDto,
} from './dto/auth.dto.js';
import { SessionsService } from './sessions.service.js';

/** Wrong TOTP codes are throttled like wrong passwords. */
const TOTP_THROTTLING =
  'Throttled; wrong codes count towards the account lockout: 429 too_many_attempts (Retry-After).';

@ApiController('auth', 'api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @PublicRoute('POST login', {
    status: 200,
    summary: 'Email + password (+ TOTP) sign-in',
    description:
      '401 codes: invalid_credentials (one answer for unknown address, wrong password, inactive or locked account), totp_required, ' +
      'totp_invalid, totp_enrolment_required (details.enrolmentToken). 429 too_many_attempts (Retry-After) per client ' +
      'network (IPv4 address, IPv6 /64) and per account.',
    errors: [400, 401, 429],
    result: 'LoginResponse',
  })
  login(@Body() body: LoginDto, @Audit() audit: AuditContext): Promise<LoginResponse> {
    return this.auth.login(body, audit);
  }

  @PublicRoute('POST refresh', {
    status: 200,
    summary: 'Rotate the refresh token; a reused (already rotated) token revokes the whole session',
    errors: [400, 401],
    result: 'LoginResponse',
  })
  refresh(@Body() body: RefreshDto, @Audit() audit: AuditContext): Promise<LoginResponse> {
    return this.sessions.refresh(body.refreshToken, audit);
  }

  @PublicRoute('POST logout', {
    summary: 'End the session of this refresh token (its access tokens stop working at once)',
    errors: [400],
    result: { noContent: 'Session ended' },
  })
  async logout(@Body() body: LogoutDto, @Audit() audit: AuditContext): Promise<void> {
    await this.sessions.logout(body.refreshToken, audit);
  }

  @Route('GET me', 'self', {
    summary: 'The signed-in user: role, organisation, territory, permissions, MFA state',
    result: 'MeResponse',
  })
  me(@CurrentUser() user: AuthUser): Promise<MeResponse> {
    return this.auth.me(user);
  }

  @Route('POST password', 'self', {
    summary: 'Change one’s own password (other sessions end)',
    errors: [400, 429],
    result: { noContent: 'Password changed' },
  })
  async changePassword(@Body() body: ChangePasswordDto, @Caller() { user, audit }: Caller): Promise<void> {
    await this.users.changePassword(user, body.currentPassword, body.newPassword, audit);
  }

  @Route('POST totp/setup', 'self', {
    status: 200,
    summary: 'Start TOTP set-up: returns the otpauth URL (QR code) and the secret',
    errors: [409],
    result: 'TotpSetupResponse',
  })
  setupTotp(@Caller() { user, audit }: Caller): Promise<TotpSetupResponse> {
    return this.auth.setupTotp(user, audit);
  }

  @Route('POST totp/confirm', 'self', {
    status: 200,
    summary: 'Turn TOTP on with a first valid code',
    description: TOTP_THROTTLING,
    errors: [400, 429],
    result: 'TotpState',
  })
  confirmTotp(@Body() body: TotpCodeDto, @Caller() { user, audit }: Caller): Promise<{ totpEnabled: true }> {
    return this.auth.confirmTotp(user, body.code, audit);
  }

  @Route('POST totp/disable', 'self', {
    status: 200,
    summary: 'Turn TOTP off with a valid code (not when the organisation or the platform requires it: 409)',
    description: TOTP_THROTTLING,
    errors: [400, 409, 429],
    result: 'TotpState',
  })
  disableTotp(@Body() body: TotpCodeDto, @Caller() { user, audit }: Caller): Promise<{ totpEnabled: false }> {
    return this.auth.disableTotp(user, body.code, audit);
  }

  @PublicRoute('POST totp/enrol/setup', {
    status: 200,
    summary: 'Set-up during sign-in, with the enrolmentToken of a totp_enrolment_required answer',
    errors: [400, 401, 429],
    result: 'TotpSetupResponse',
  })
  setupTotpWithEnrolment(
    @Body() body: TotpEnrolmentSetupDto,
    @Audit() audit: AuditContext,
  ): Promise<TotpSetupResponse> {
    return this.auth.setupTotpWithEnrolment(body.enrolmentToken, audit);
  }

  @PublicRoute('POST totp/enrol/confirm', {
    status: 200,
    summary: 'Confirm the code, turn TOTP on and finish signing in (answers tokens)',
    errors: [400, 401, 429],
    result: 'LoginResponse',
  })
  confirmTotpWithEnrolment(
    @Body() body: TotpEnrolmentConfirmDto,
    @Audit() audit: AuditContext,
  ): Promise<LoginResponse> {
    return this.auth.confirmTotpWithEnrolment(body.enrolmentToken, body.code, audit);
  }
}
