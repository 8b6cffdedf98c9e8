import { MIN_PASSWORD_LENGTH } from '@talad/contracts-identity';

// Scripts without case, such as Thai, are their own kind of letter, so a Thai passphrase with a space
// in it passes as readily as a Latin one with a capital.
const CLASSES: ReadonlyArray<[string, RegExp]> = [
  ['lower-case letters', /\p{Ll}/u],
  ['upper-case letters', /\p{Lu}/u],
  ['letters without case', /[\p{Lo}\p{Lm}\p{Lt}]/u],
  ['digits', /\p{Nd}/u],
  ['spaces or symbols', /[^\p{L}\p{M}\p{Nd}]/u],
];

/**
 * What is wrong with a new password, in words a person can act on; empty when it is acceptable.
 * Rules: at least 10 characters, characters of at least two kinds (so not `aaaaaaaaaa` nor
 * `1234567890`), and not the email address or its part before the `@`.
 *
 * @example
 * passwordProblems('password12', 'somchai@example.com'); // []
 * passwordProblems('somchai@example.com', 'somchai@example.com'); // ['must not be your email address']
 */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (characterCount(password) < MIN_PASSWORD_LENGTH) {
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  const kinds = CLASSES.filter(([, pattern]) => pattern.test(password)).length;
  if (kinds < 2) {
    problems.push(`must mix at least two kinds of characters (${CLASSES.map(([name]) => name).join(', ')})`);
  }
  const lowered = password.trim().toLowerCase();
  const normalisedEmail = email.trim().toLowerCase();
  const localPart = normalisedEmail.split('@')[0] ?? '';
  if (lowered === normalisedEmail || (localPart !== '' && lowered === localPart)) {
    problems.push('must not be your email address');
  }
  return problems;
}

// Characters as a reader counts them: a Thai consonant with its vowel and tone marks is one.
function characterCount(text: string): number {
  return Array.from(new Intl.Segmenter('th', { granularity: 'grapheme' }).segment(text)).length;
}
