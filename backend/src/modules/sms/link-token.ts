import { findForbiddenSmsWords } from '@lien/shared';
import { randomToken } from '../../common/crypto/field-encryption.service.js';

/**
 * A link token (128 bits, base64url) that reads as no health word: "-" and "_" start new words for the
 * health-word check, so a random token can contain e.g. "-psy..." and make the whole SMS unsendable.
 */
export function linkToken(): string {
  for (;;) {
    const token = randomToken(16);
    if (findForbiddenSmsWords(token.replace(/[-_]/g, ' ')).length === 0) return token;
  }
}
