/**
 * The pay slip's pieces as the page shows them. The barcode comes from the API as an SVG document; it is
 * shown as an image from a `data:` URL, never put into the page as markup, so whatever the SVG holds
 * cannot run or restyle the page.
 */

/** "012345678901234" → "01234 56789 01234": groups of five are easy to read out at a counter. */
export function formatPaymentCode(code: string): string {
  return code.replace(/(\d{5})(?=\d)/g, '$1 ');
}

/** The SVG as an image address; `<img>` renders it as a picture only (no scripts, no outside fetches). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** How long is left to pay, in words; "expired" once the time is past. */
export function timeLeft(expiresAt: string, now: Date): string {
  const minutes = Math.floor((new Date(expiresAt).getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return 'expired';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} left`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} left`;
  const days = Math.floor(hours / 24);
  return `${days} days left`;
}
