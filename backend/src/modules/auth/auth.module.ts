import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { OidcController } from './oidc.controller.js';
import { OidcService } from './oidc.service.js';
import { SessionsService } from './sessions.service.js';
import { TotpService } from './totp.service.js';

@Module({
  imports: [UsersModule, OrganisationsModule],
  controllers: [AuthController, OidcController],
  providers: [AuthService, SessionsService, TotpService, OidcService],
  exports: [AuthService, SessionsService],
})
export class AuthModule {}
