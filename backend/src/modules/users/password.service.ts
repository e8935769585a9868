import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { checkPasswordStrength } from '@lien/shared';
import { randomToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError } from '../../common/errors.js';

/** argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password strength and hashing. `verifyDummy` spends the same work as a real check, so a sign-in with an unknown address
 * takes as long as one with a wrong password.
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash: Promise<string> | undefined;

  onModuleInit(): void {
    void this.dummy().catch(() => {
      this.dummyHash = undefined;
    });
  }

  /** The strength rule (shared with the console), as a 400 naming `field`. */
  assertStrong(password: string, email: string, field: string): void {
    const problems = checkPasswordStrength(password, email);
    if (problems.length > 0) {
      throw new DomainError(
        'invalid',
        'weak_password',
        `${field}: ${problems.join('; ')}`,
        problems.map((message) => ({ field, message })),
      );
    }
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Same cost as `verify`, always false. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummy(), password);
    return false;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= argon2.hash(randomToken(), OPTIONS);
    return this.dummyHash;
  }
}
