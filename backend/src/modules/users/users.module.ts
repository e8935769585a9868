import { Module } from '@nestjs/common';
import { RateLimiter } from '../../common/auth/rate-limiter.js';
import { SessionEvents } from '../../common/auth/session-events.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AccountInvitationsService } from './account-invitations.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { PasswordService } from './password.service.js';
import { SessionCheck } from './session-check.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { RolePlacement } from './role-placement.service.js';
import { UserLinksService } from './user-links.service.js';
import { UserTokensRepository } from './user-tokens.repository.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [OrganisationsModule],
  controllers: [UsersController],
  providers: [
    UsersRepository,
    UserTokensRepository,
    RefreshTokensRepository,
    PasswordService,
    UsersService,
    RolePlacement,
    UserLinksService,
    AccountInvitationsService,
    PasswordResetService,
    RateLimiter,
    SessionEvents,
    SessionCheck,
  ],
  exports: [
    UsersRepository,
    RefreshTokensRepository,
    PasswordService,
    UsersService,
    RateLimiter,
    SessionEvents,
    SessionCheck,
  ],
})
export class UsersModule {}
