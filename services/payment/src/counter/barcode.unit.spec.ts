import { describe, expect, it } from 'vitest';
import { assertWellFormedXml } from '../testing/well-formed-xml.ts';
import { ITF_DIGIT_PATTERNS, interleaved2of5Elements, interleaved2of5Svg } from './barcode.ts';
import { isValidPaymentCode, luhnCheckDigit, newPaymentCode } from './payment-code.ts';

/** Reads the digits back from the bars of an SVG the way a scanner would: widths, then patterns. */
function scan(svg: string): string {
  const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="0" width="([\d.]+)" height="60"\/>/g)].map((match) => ({
    x: Number(match[1]),
    width: Number(match[2]),
  }));
  const narrow = Math.min(...bars.map((bar) => bar.width));
  const elements: string[] = [];
  bars.forEach((bar, index) => {
    elements.push(bar.width > narrow * 1.5 ? 'W' : 'N');
    const next = bars[index + 1];
    if (next) elements.push(next.x - (bar.x + bar.width) > narrow * 1.5 ? 'W' : 'N');
  });
  const pattern = elements.join('');
  if (!pattern.startsWith('NNNN') || !pattern.endsWith('WNN')) throw new Error('no start or stop pattern');
  const data = pattern.slice(4, -3);
  let digits = '';
  for (let at = 0; at < data.length; at += 10) {
    const pair = data.slice(at, at + 10);
    const bars = [0, 2, 4, 6, 8].map((i) => pair[i]).join('');
    const spaces = [1, 3, 5, 7, 9].map((i) => pair[i]).join('');
    digits += `${ITF_DIGIT_PATTERNS.indexOf(bars)}${ITF_DIGIT_PATTERNS.indexOf(spaces)}`;
  }
  return digits;
}

describe('payment codes', () => {
  it('are fifteen digits whose last is the Luhn check digit of the others', () => {
    const fixed = [3, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const code = newPaymentCode((max) => (fixed.shift() ?? 0) % max);
    expect(code).toMatch(/^[1-9]\d{14}$/);
    expect(isValidPaymentCode(code)).toBe(true);
    expect(luhnCheckDigit('7992739871')).toBe(3); // the textbook example
    for (let i = 0; i < 50; i += 1) expect(isValidPaymentCode(newPaymentCode())).toBe(true);
  });

  it('catch a mistyped digit and two swapped neighbours', () => {
    const code = '482019374650121';
    const valid = `${code.slice(0, 14)}${luhnCheckDigit(code.slice(0, 14))}`;
    expect(isValidPaymentCode(valid)).toBe(true);
    const typo = `${valid.slice(0, 3)}${(Number(valid[3]) + 1) % 10}${valid.slice(4)}`;
    expect(isValidPaymentCode(typo)).toBe(false);
    const swapped = `${valid.slice(0, 1)}${valid[2]}${valid[1]}${valid.slice(3)}`;
    expect(isValidPaymentCode(swapped)).toBe(valid[1] === valid[2]);
    expect(isValidPaymentCode('12345')).toBe(false);
    expect(isValidPaymentCode('48201937465012a')).toBe(false);
  });
});

describe('Interleaved 2 of 5 barcodes', () => {
  it('encode pairs as five bars and five spaces with two wide each, between start and stop', () => {
    const elements = interleaved2of5Elements('12', 3);
    // start 4, one pair 10, stop 3
    expect(elements).toHaveLength(17);
    expect(elements.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(elements.slice(-3)).toEqual([3, 1, 1]);
    // 1 = WNNNW in the bars, 2 = NWNNW in the spaces
    expect(elements.slice(4, 14)).toEqual([3, 1, 1, 3, 1, 1, 1, 1, 3, 3]);
  });

  it('draws a well-formed SVG that scans back to the digits, a leading zero added to an odd count', () => {
    const code = '482019374650129';
    const svg = interleaved2of5Svg(code);
    expect(() => assertWellFormedXml(svg)).not.toThrow();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(scan(svg)).toBe(`0${code}`);
    expect(scan(interleaved2of5Svg('0123456789'))).toBe('0123456789');
    expect(svg).toContain(`>${code}</text>`);
  });

  it('refuses anything but digits', () => {
    expect(() => interleaved2of5Svg('12a4')).toThrow(/digits only/);
  });

  it('the XML check itself rejects what is not well-formed', () => {
    expect(() => assertWellFormedXml('<svg><g></svg>')).toThrow();
    expect(() => assertWellFormedXml('<svg a="1" a="2"/>')).toThrow(/twice/);
    expect(() => assertWellFormedXml('<svg>&</svg>')).toThrow(/unescaped/);
    expect(() => assertWellFormedXml('<a/><b/>')).toThrow(/root/);
  });
});
