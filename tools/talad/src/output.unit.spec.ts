import { describe, expect, it } from 'vitest';
import { Output } from './output.ts';
import { formatDuration, Progress } from './progress.ts';

function capture(interactive: boolean): { output: Output; text: () => string } {
  let written = '';
  return { output: new Output({ write: (text: string) => (written += text) }, interactive), text: () => written };
}

describe('progress lines', () => {
  it('on a terminal, overwrites the "…" line with its result when nothing came in between', () => {
    const { output, text } = capture(true);
    new Progress(output, false).start('migrating catalog', 'catalog migrated').done();
    expect(text().replace(/\(\d+ms\)/, '(N)')).toBe('… migrating catalog\n\x1b[1A\x1b[2K✔ catalog migrated (N)\n');
  });

  it('prints the result on a new line when other output came in between', () => {
    const { output, text } = capture(true);
    const step = new Progress(output, false).start('seeding catalog', 'catalog seeded');
    output.line('catalog | seeded 50 products');
    step.done();
    expect(text()).not.toContain('\x1b[1A');
    expect(text().split('\n')).toEqual([
      '… seeding catalog',
      'catalog | seeded 50 products',
      expect.stringMatching(/^✔ catalog seeded/),
      '',
    ]);
  });

  it('never moves the cursor when the output is not a terminal', () => {
    const { output, text } = capture(false);
    new Progress(output, false).start('starting gateway', 'gateway ready').fail('gateway did not start');
    expect(text()).not.toContain('\x1b');
    expect(text()).toMatch(/^… starting gateway\n✖ gateway did not start \(\d+ms\)\n$/);
  });

  it('formats durations for people', () => {
    expect(formatDuration(42.4)).toBe('42ms');
    expect(formatDuration(1_234)).toBe('1.2s');
    expect(formatDuration(4_000)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m5s');
  });
});
