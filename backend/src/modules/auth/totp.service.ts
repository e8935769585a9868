import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { generateSecret, generateURI, verify } from 'otplib';
import { Clock } from '../../common/clock.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';

const CODE = /^\d{6}$/;

/**
 * TOTP (RFC 6238: 6 digits, 30 s, SHA-1, as authenticator apps expect). Secrets are stored encrypted; a code is
 * accepted one step either side of now, and only once (replays within its window are refused via Redis).
 */
@Injectable()
export class TotpService {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  newSecret(): { secret: string; secretEnc: string } {
    const secret = generateSecret();
    return { secret, secretEnc: this.encryption.encrypt(secret) };
  }

  otpauthUrl(secret: string, email: string): string {
    return generateURI({ issuer: 'Lien', label: email, secret });
  }

  decrypt(secretEnc: string): string {
    return this.encryption.decrypt(secretEnc);
  }

  /** True when `code` is valid now for this secret and was not used before. */
  async check(userId: string, secretEnc: string, code: string): Promise<boolean> {
    const token = code.replace(/\s+/g, '');
    if (!CODE.test(token)) return false;
    let result;
    try {
      result = await verify({
        secret: this.encryption.decrypt(secretEnc),
        token,
        epoch: Math.floor(this.clock.now().getTime() / 1000),
        epochTolerance: 30,
      });
    } catch {
      return false;
    }
    if (!result.valid || !('epoch' in result)) return false;
    const stepKey = `${this.config.queuePrefix}:auth:totp-used:${userId}:${String(result.epoch)}`;
    try {
      return (await this.redis.set(stepKey, '1', 'EX', 120, 'NX')) === 'OK';
    } catch {
      // Redis away: accept (the code is valid); replay protection resumes with Redis.
      return true;
    }
  }
}
