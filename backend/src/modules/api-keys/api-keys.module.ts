import { Module } from '@nestjs/common';
import { API_KEY_AUTHENTICATOR } from '../../common/auth/api-key-principal.js';
import { RateLimiter } from '../../common/auth/rate-limiter.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';

/** Partner API keys (`/api/api-keys`) and their authentication, which the global guard calls. */
@Module({
  controllers: [ApiKeysController],
  providers: [
    ApiKeysRepository,
    ApiKeysService,
    RateLimiter,
    { provide: API_KEY_AUTHENTICATOR, useExisting: ApiKeysService },
  ],
  exports: [API_KEY_AUTHENTICATOR],
})
export class ApiKeysModule {}
