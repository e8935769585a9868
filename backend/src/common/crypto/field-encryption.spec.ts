import { loadConfig } from '../../config/config.js';
import { FieldEncryption, foldName, hashToken, randomToken } from './field-encryption.service.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const configWith = (keys: string, active: string) =>
  loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://x@localhost/db',
    ENCRYPTION_KEYS: keys,
    ENCRYPTION_ACTIVE_KEY_ID: active,
  });

describe('FieldEncryption', () => {
  const encryption = new FieldEncryption(configWith(`1:${key(1)}`, '1'));

  it('round-trips and never repeats a ciphertext', () => {
    const a = encryption.encrypt('+33612345678');
    const b = encryption.encrypt('+33612345678');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('612345678');
    expect(encryption.decrypt(a)).toBe('+33612345678');
  });

  it('refuses a tampered ciphertext', () => {
    const parts = encryption.encrypt('Camille').split('.');
    parts[4] = Buffer.from('Camilla').toString('base64url');
    expect(() => encryption.decrypt(parts.join('.'))).toThrow();
  });

  it('reads rows written under an older key after rotation', () => {
    const old = encryption.encrypt('Dupont');
    const rotated = new FieldEncryption(configWith(`1:${key(1)},2:${key(2)}`, '2'));
    expect(rotated.decrypt(old)).toBe('Dupont');
    expect(rotated.keyIdOf(rotated.encrypt('Dupont'))).toBe(2);
    expect(rotated.keyIdOf(old)).toBe(1);
  });

  it('gives stable blind indexes that do not reveal the value', () => {
    expect(encryption.blindIndex('+33612345678')).toBe(encryption.blindIndex('+33612345678'));
    expect(encryption.blindIndex('+33612345678')).not.toBe(encryption.blindIndex('+33612345679'));
    expect(encryption.blindIndex('+33612345678')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('folds names and makes 128-bit-plus tokens', () => {
    expect(foldName('  Éloïse  Martin ')).toBe('eloise martin');
    expect(Buffer.from(randomToken(), 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(hashToken('abc')).toMatch(/^[0-9a-f]{64}$/);
  });
});
