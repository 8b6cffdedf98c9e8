/**
 * `npm run bench -- <name>...` runs the named benchmarks (all of them when none is named). Each compares
 * Talad against a baseline measured side by side in the same run and ends with one JSON line.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort();

const requested = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}

for (const name of requested.length > 0 ? requested : available) {
  process.stderr.write(`\n▶ bench ${name}\n`);
  const benchmark = (await import(join(here, `${name}.bench.ts`))) as { run: () => Promise<void> };
  await benchmark.run();
}
