import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';

const VERSION = 'v1';

/**
 * Authenticated encryption (AES-256-GCM) of personal fields: names, phone numbers, TOTP secrets.
 * Ciphertext format: `v1.<keyId>.<iv>.<tag>.<data>` (base64url), so keys can rotate while old rows stay readable.
 * Blind indexes (HMAC-SHA256 under a separate key) allow exact lookups without decrypting.
 */
@Injectable()
export class FieldEncryption {
  /**
   * Key objects built once: handing raw key bytes to createCipheriv/createHmac imports the key again on every
   * call, which cost more than the encryption itself (about 20 of 30 µs per field).
   */
  private readonly keys: ReadonlyMap<number, KeyObject>;
  private readonly blindIndexKey: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.keys = new Map([...config.encryptionKeys].map(([id, key]) => [id, createSecretKey(key)]));
    this.blindIndexKey = createSecretKey(config.blindIndexKey);
  }

  encrypt(plaintext: string): string {
    const keyId = this.config.encryptionActiveKeyId;
    const key = this.key(keyId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join('.');
  }

  decrypt(ciphertext: string): string {
    const [version, keyIdText, iv, tag, data] = ciphertext.split('.');
    if (version !== VERSION || !keyIdText || !iv || !tag || data === undefined)
      throw new Error('Unreadable ciphertext');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.key(Number(keyIdText)),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Key id a ciphertext was written with: rows under an old key can be found and re-encrypted. */
  keyIdOf(ciphertext: string): number {
    return Number(ciphertext.split('.')[1]);
  }

  /** The start of every ciphertext written with the active key (`v1.<keyId>.`): rows without it need rotation. */
  activeKeyPrefix(): string {
    return `${VERSION}.${this.config.encryptionActiveKeyId}.`;
  }

  /** Keyed blind index of a value already normalised by the caller (E.164 phone, folded name). */
  blindIndex(normalised: string): string {
    return createHmac('sha256', this.blindIndexKey).update(normalised, 'utf8').digest('hex');
  }

  private key(keyId: number): KeyObject {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Encryption key ${keyId} is not configured`);
    return key;
  }
}

/** Folds a name for exact, case- and accent-insensitive search: "Éloïse " → "eloise". */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

/** SHA-256 of a high-entropy token (link tokens, refresh tokens): enough, since the token itself is random. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A random URL-safe token with the given entropy in bytes (16 bytes = 128 bits). */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

@Global()
@Module({ providers: [FieldEncryption], exports: [FieldEncryption] })
export class CryptoModule {}
