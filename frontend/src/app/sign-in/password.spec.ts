import { passwordProblems } from './password';

describe('new password rule (same as the API)', () => {
  it('asks for 12 characters of at least two kinds, typed twice', () => {
    expect(passwordProblems('Lien-demo-2026!', 'Lien-demo-2026!')).toEqual([]);
    expect(passwordProblems('short1A', 'short1A')).toEqual(['tooShort']);
    expect(passwordProblems('abcdefghijklmn', 'abcdefghijklmn')).toEqual(['variety']);
    expect(passwordProblems('abcdefghijkl9', 'abcdefghijkl8')).toEqual(['mismatch']);
    expect(passwordProblems('é'.repeat(11) + 'É', 'é'.repeat(11) + 'É')).toEqual([]);
  });
});
