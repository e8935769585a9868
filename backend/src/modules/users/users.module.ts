import { Module } from '@nestjs/common';
import { RateLimiter } from '../../common/auth/rate-limiter.js';
import { SessionEvents } from '../../common/auth/session-events.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PasswordService } from './password.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
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
    RateLimiter,
    SessionEvents,
  ],
  exports: [
    UsersRepository,
    RefreshTokensRepository,
    PasswordService,
    UsersService,
    RateLimiter,
    SessionEvents,
  ],
})
export class UsersModule {}
