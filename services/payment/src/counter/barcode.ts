/**
 * Interleaved 2 of 5 barcodes as SVG, the symbology many bill-payment counters scan: digits in pairs,
 * the first of each pair in the bars, the second in the spaces between them, each digit five elements
 * of which two are wide. Only an even number of digits fits, so an odd one gets a leading zero.
 */

/** Each digit's five elements, narrow (N) or wide (W). */
export const ITF_DIGIT_PATTERNS: readonly string[] = [
  'NNWWN',
  'WNNNW',
  'NWNNW',
  'WWNNN',
  'NNWNW',
  'WNWNN',
  'NWWNN',
  'NNNWW',
  'WNNWN',
  'NWNWN',
];
/** Bar, space, bar, space before the data; wide bar, space, bar after it. */
const START = 'NNNN';
const STOP = 'WNN';

export interface BarcodeOptions {
  /** Width of a narrow element, in SVG units. Defaults to 2. */
  narrow?: number;
  /** Wide to narrow ratio; scanners accept 2 to 3. Defaults to 3. */
  ratio?: number;
  /** Bar height. Defaults to 60. */
  height?: number;
  /** Whether to print the digits under the bars. Defaults to true. */
  text?: boolean;
}

/**
 * The elements of `digits` as alternating bar and space widths in narrow units, starting with a bar:
 * the start pattern, the interleaved pairs, the stop pattern.
 */
export function interleaved2of5Elements(digits: string, ratio = 3): number[] {
  if (!/^\d+$/.test(digits)) throw new Error('an Interleaved 2 of 5 barcode encodes digits only');
  const even = digits.length % 2 === 0 ? digits : `0${digits}`;
  let pattern = START;
  for (let index = 0; index < even.length; index += 2) {
    const bars = ITF_DIGIT_PATTERNS[Number(even[index])] ?? '';
    const spaces = ITF_DIGIT_PATTERNS[Number(even[index + 1])] ?? '';
    for (let element = 0; element < 5; element += 1) pattern += `${bars[element]}${spaces[element]}`;
  }
  pattern += STOP;
  return Array.from({ length: pattern.length }, (_, index) => (pattern[index] === 'W' ? ratio : 1));
}

/**
 * An SVG document of `digits` as an Interleaved 2 of 5 barcode, with quiet zones of ten narrow
 * widths on either side and the digits printed below.
 *
 * @example
 * const svg = interleaved2of5Svg('482019374650129'); // '<svg xmlns="http://www.w3.org/2000/svg" ...'
 */
export function interleaved2of5Svg(digits: string, options: BarcodeOptions = {}): string {
  const narrow = options.narrow ?? 2;
  const height = options.height ?? 60;
  const withText = options.text ?? true;
  const quiet = 10 * narrow;
  const bars: string[] = [];
  let x = quiet;
  interleaved2of5Elements(digits, options.ratio ?? 3).forEach((units, index) => {
    const width = units * narrow;
    if (index % 2 === 0) bars.push(`<rect x="${x}" y="0" width="${width}" height="${height}"/>`);
    x += width;
  });
  const width = x + quiet;
  const textHeight = withText ? 18 : 0;
  const label = withText
    ? `<text x="${width / 2}" y="${height + 14}" font-family="monospace" font-size="12" text-anchor="middle">${digits}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + textHeight}" ` +
    `viewBox="0 0 ${width} ${height + textHeight}" role="img" aria-label="barcode ${digits}">` +
    `<rect x="0" y="0" width="${width}" height="${height + textHeight}" fill="#fff"/>` +
    `<g fill="#000">${bars.join('')}</g>${label}</svg>`
  );
}
