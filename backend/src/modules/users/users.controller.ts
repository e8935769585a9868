import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserListResponse, UserSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import {
  InviteUserDto,
  PasswordResetRequestDto,
  SetPasswordDto,
  UpdateUserDto,
  UserListQueryDto,
} from './dto/users.dto.js';
import { AccountInvitationsService } from './account-invitations.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { UsersService } from './users.service.js';
import { ApiErrors, ApiResult, ApiResultEmpty } from '../../common/openapi.js';

const userId = new UuidParamPipe('User');

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly invitations: AccountInvitationsService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Get()
  @ApiBearerAuth()
  @RequirePermission('users.manage')
  @ApiOperation({
    summary:
      'Accounts: org admins see their organisation, platform admins all (filter organisationId, role, active, search)',
  })
  @ApiResult('UserListResponse')
  @ApiErrors(400, 401, 403)
  list(@Query() query: UserListQueryDto, @CurrentUser() user: AuthUser): Promise<UserListResponse> {
    return this.users.list(user, query);
  }

  @Post()
  @ApiBearerAuth()
  @RequirePermission('users.manage')
  @ApiOperation({ summary: 'Invite: creates the account and emails a one-time link to choose a password' })
  @ApiResult('UserSummary', { status: 201 })
  @ApiErrors(400, 401, 403, 409)
  invite(
    @Body() body: InviteUserDto,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<UserSummary> {
    return this.invitations.invite(user, body, audit);
  }

  @Post('password-reset/request')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Emails a reset link if the address has an active account; always 202',
    description:
      '429 too_many_attempts (Retry-After) per client network and per address typed, account or not.',
  })
  @ApiResult('PasswordResetAccepted', { status: 202 })
  @ApiErrors(400, 429)
  async requestPasswordReset(
    @Body() body: PasswordResetRequestDto,
    @Audit() audit: AuditContext,
  ): Promise<{ status: 'accepted' }> {
    await this.passwordReset.requestPasswordReset(body.email, audit);
    return { status: 'accepted' };
  }

  @Post('password/set')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Choose a password with the token of an invitation or reset link (single use)',
    description:
      'The console reads the token from the link’s fragment (/set-password#token=…). 429 per network.',
  })
  @ApiResultEmpty(204, 'Password set; the link is used up')
  @ApiErrors(400, 429)
  async setPassword(@Body() body: SetPasswordDto, @Audit() audit: AuditContext): Promise<void> {
    await this.passwordReset.setPassword(body.token, body.password, audit);
  }

  @Get(':id')
  @ApiBearerAuth()
  @RequirePermission('users.manage')
  @ApiOperation({ summary: 'One account' })
  @ApiResult('UserSummary')
  @ApiErrors(401, 403, 404)
  get(@Param('id', userId) id: string, @CurrentUser() user: AuthUser): Promise<UserSummary> {
    return this.users.get(user, id);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @RequirePermission('users.manage')
  @ApiOperation({
    summary: 'Change display name, role, territory, RPPS or active state; deactivation ends every session',
  })
  @ApiResult('UserSummary')
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @Param('id', userId) id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<UserSummary> {
    return this.users.update(user, id, body, audit);
  }

  @Post(':id/deactivate')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @RequirePermission('users.manage')
  @ApiOperation({ summary: 'Deactivate the account and end every session' })
  @ApiResult('UserSummary')
  @ApiErrors(401, 403, 404, 409)
  deactivate(
    @Param('id', userId) id: string,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<UserSummary> {
    return this.users.deactivate(user, id, audit);
  }

  @Post(':id/invitation')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @RequirePermission('users.manage')
  @ApiOperation({ summary: 'Send a fresh invitation link to an account not yet activated' })
  @ApiResult('UserSummary')
  @ApiErrors(401, 403, 404, 409)
  resendInvitation(
    @Param('id', userId) id: string,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<UserSummary> {
    return this.invitations.resend(user, id, audit);
  }
}
