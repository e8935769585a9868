import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LoginResponse, MeResponse, TotpSetupResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
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
import { ApiErrors, ApiResult, ApiResultEmpty } from '../../common/openapi.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Email + password (+ TOTP) sign-in',
    description:
      '401 codes: invalid_credentials (one answer for unknown address, wrong password, inactive or locked account), totp_required, ' +
      'totp_invalid, totp_enrolment_required (details.enrolmentToken). 429 too_many_attempts (Retry-After) per client ' +
      'network (IPv4 address, IPv6 /64) and per account.',
  })
  @ApiResult('LoginResponse')
  @ApiErrors(400, 401, 429)
  login(@Body() body: LoginDto, @Audit() audit: AuditContext): Promise<LoginResponse> {
    return this.auth.login(body, audit);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate the refresh token; a reused (already rotated) token revokes the whole session',
  })
  @ApiResult('LoginResponse')
  @ApiErrors(400, 401)
  refresh(@Body() body: RefreshDto, @Audit() audit: AuditContext): Promise<LoginResponse> {
    return this.sessions.refresh(body.refreshToken, audit);
  }

  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of this refresh token (its access tokens stop working at once)' })
  @ApiResultEmpty(204, 'Session ended')
  @ApiErrors(400)
  async logout(@Body() body: LogoutDto, @Audit() audit: AuditContext): Promise<void> {
    await this.sessions.logout(body.refreshToken, audit);
  }

  @Get('me')
  @ApiBearerAuth()
  @RequirePermission('self')
  @ApiOperation({ summary: 'The signed-in user: role, organisation, territory, permissions, MFA state' })
  @ApiResult('MeResponse')
  @ApiErrors(401, 403)
  me(@CurrentUser() user: AuthUser): Promise<MeResponse> {
    return this.auth.me(user);
  }

  @Post('password')
  @ApiBearerAuth()
  @RequirePermission('self')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Change one’s own password (other sessions end)' })
  @ApiResultEmpty(204, 'Password changed')
  @ApiErrors(400, 401, 403, 429)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<void> {
    await this.users.changePassword(user, body.currentPassword, body.newPassword, audit);
  }

  @Post('totp/setup')
  @ApiBearerAuth()
  @RequirePermission('self')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Start TOTP set-up: returns the otpauth URL (QR code) and the secret' })
  @ApiResult('TotpSetupResponse')
  @ApiErrors(401, 403, 409)
  setupTotp(@CurrentUser() user: AuthUser, @Audit() audit: AuditContext): Promise<TotpSetupResponse> {
    return this.auth.setupTotp(user, audit);
  }

  @Post('totp/confirm')
  @ApiBearerAuth()
  @RequirePermission('self')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Turn TOTP on with a first valid code',
    description:
      'Throttled; wrong codes count towards the account lockout: 429 too_many_attempts (Retry-After).',
  })
  @ApiResult('TotpState')
  @ApiErrors(400, 401, 403, 429)
  confirmTotp(
    @Body() body: TotpCodeDto,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<{ totpEnabled: true }> {
    return this.auth.confirmTotp(user, body.code, audit);
  }

  @Post('totp/disable')
  @ApiBearerAuth()
  @RequirePermission('self')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Turn TOTP off with a valid code (not when the organisation or the platform requires it: 409)',
    description:
      'Throttled; wrong codes count towards the account lockout: 429 too_many_attempts (Retry-After).',
  })
  @ApiResult('TotpState')
  @ApiErrors(400, 401, 403, 409, 429)
  disableTotp(
    @Body() body: TotpCodeDto,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<{ totpEnabled: false }> {
    return this.auth.disableTotp(user, body.code, audit);
  }

  @Post('totp/enrol/setup')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Set-up during sign-in, with the enrolmentToken of a totp_enrolment_required answer',
  })
  @ApiResult('TotpSetupResponse')
  @ApiErrors(400, 401, 429)
  setupTotpWithEnrolment(
    @Body() body: TotpEnrolmentSetupDto,
    @Audit() audit: AuditContext,
  ): Promise<TotpSetupResponse> {
    return this.auth.setupTotpWithEnrolment(body.enrolmentToken, audit);
  }

  @Post('totp/enrol/confirm')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm the code, turn TOTP on and finish signing in (answers tokens)' })
  @ApiResult('LoginResponse')
  @ApiErrors(400, 401, 429)
  confirmTotpWithEnrolment(
    @Body() body: TotpEnrolmentConfirmDto,
    @Audit() audit: AuditContext,
  ): Promise<LoginResponse> {
    return this.auth.confirmTotpWithEnrolment(body.enrolmentToken, body.code, audit);
  }
}
