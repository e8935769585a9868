/** The API's password rule (shared `checkPasswordStrength`), as keys the console can say in either language. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'variety' | 'mismatch';

export function passwordProblems(password: string, confirmation: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < PASSWORD_MIN) problems.push('tooShort');
  if (password.length > PASSWORD_MAX) problems.push('tooLong');
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (password.length > 0 && kinds < 2) problems.push('variety');
  if (password !== confirmation) problems.push('mismatch');
  return problems;
}
