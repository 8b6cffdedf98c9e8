import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy.ts';

const email = 'Somchai@Example.com';

describe('passwordProblems', () => {
  it.each(['Sawasdee2026', 'correct horse battery', 'ก้าวหน้า ไปด้วยกัน', '1234567890!'])('accepts %j', (password) => {
    expect(passwordProblems(password, email)).toEqual([]);
  });

  it('refuses fewer than 10 characters, counting characters not bytes', () => {
    expect(passwordProblems('Short1!', email)).toEqual(['must be at least 10 characters long']);
    expect(passwordProblems('ก้าวหน้า1', email)[0]).toMatch(/at least 10/);
  });

  it.each(['aaaaaaaaaaaa', '12345678901', 'ALLUPPERCASE', 'ตัวอักษรไทยล้วนๆ'])('refuses %j: one kind only', (password) => {
    expect(passwordProblems(password, email)).toEqual([expect.stringMatching(/two kinds/)]);
  });

  it('refuses the email address or its local part, whatever the case', () => {
    expect(passwordProblems('somchai@example.COM', email)).toEqual(['must not be your email address']);
    expect(passwordProblems('somchai@example.com', 'somchai@example.com')).toEqual(['must not be your email address']);
    const local = passwordProblems('SOMCHAIxx1', 'somchaixx1@example.com');
    expect(local).toEqual(['must not be your email address']);
  });
});
