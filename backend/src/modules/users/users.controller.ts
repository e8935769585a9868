import { Body, Query } from '@nestjs/common';
import type { UserListResponse, UserSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Caller, CurrentUser } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { ApiController, IdParam, PublicRoute, Route } from '../../common/route.js';
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

@ApiController('users', 'api/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly invitations: AccountInvitationsService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Route('GET', 'users.manage', {
    summary:
      'Accounts: org admins see their organisation, platform admins all (filter organisationId, role, active, search)',
    errors: [400],
    result: 'UserListResponse',
  })
  list(@Query() query: UserListQueryDto, @CurrentUser() user: AuthUser): Promise<UserListResponse> {
    return this.users.list(user, query);
  }

  @Route('POST', 'users.manage', {
    summary: 'Invite: creates the account and emails a one-time link to choose a password',
    errors: [400, 409],
    result: 'UserSummary',
  })
  invite(@Body() body: InviteUserDto, @Caller() { user, audit }: Caller): Promise<UserSummary> {
    return this.invitations.invite(user, body, audit);
  }

  @PublicRoute('POST password-reset/request', {
    status: 202,
    summary: 'Emails a reset link if the address has an active account; always 202',
    description:
      '429 too_many_attempts (Retry-After) per client network and per address typed, account or not.',
    errors: [400, 429],
    result: 'PasswordResetAccepted',
  })
  async requestPasswordReset(
    @Body() body: PasswordResetRequestDto,
    @Audit() audit: AuditContext,
  ): Promise<{ status: 'accepted' }> {
    await this.passwordReset.requestPasswordReset(body.email, audit);
    return { status: 'accepted' };
  }

  @PublicRoute('POST password/set', {
    summary: 'Choose a password with the token of an invitation or reset link (single use)',
    description:
      'The console reads the token from the link’s fragment (/set-password#token=…). 429 per network.',
    errors: [400, 429],
    result: { noContent: 'Password set; the link is used up' },
  })
  async setPassword(@Body() body: SetPasswordDto, @Audit() audit: AuditContext): Promise<void> {
    await this.passwordReset.setPassword(body.token, body.password, audit);
  }

  @Route('GET :id', 'users.manage', { summary: 'One account', errors: [404], result: 'UserSummary' })
  get(@IdParam('User') id: string, @CurrentUser() user: AuthUser): Promise<UserSummary> {
    return this.users.get(user, id);
  }

  @Route('PATCH :id', 'users.manage', {
    summary: 'Change display name, role, territory, RPPS or active state; deactivation ends every session',
    errors: [400, 404, 409],
    result: 'UserSummary',
  })
  update(
    @IdParam('User') id: string,
    @Body() body: UpdateUserDto,
    @Caller() { user, audit }: Caller,
  ): Promise<UserSummary> {
    return this.users.update(user, id, body, audit);
  }

  @Route('POST :id/deactivate', 'users.manage', {
    status: 200,
    summary: 'Deactivate the account and end every session',
    errors: [404, 409],
    result: 'UserSummary',
  })
  deactivate(@IdParam('User') id: string, @Caller() { user, audit }: Caller): Promise<UserSummary> {
    return this.users.deactivate(user, id, audit);
  }

  @Route('POST :id/invitation', 'users.manage', {
    status: 200,
    summary: 'Send a fresh invitation link to an account not yet activated',
    errors: [404, 409],
    result: 'UserSummary',
  })
  resendInvitation(@IdParam('User') id: string, @Caller() { user, audit }: Caller): Promise<UserSummary> {
    return this.invitations.resend(user, id, audit);
  }
}
