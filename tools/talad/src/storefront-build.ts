/**
 * The storefront is static files the gateway serves: `talad up` builds them (Vite) when they are
 * missing or older than anything they are built from, so a fresh clone and an edited page both just
 * work with `npm start`, and an unchanged one costs nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What the build reads besides its own folder: the contracts' schemas are compiled into the bundle. */
const SHARED_SOURCES = ['contracts'];
const OWN_SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

export function storefrontDir(projectRoot: string): string {
  return join(projectRoot, 'web', 'storefront');
}

/** Whether `dist/index.html` is missing or older than the newest source file. */
export function storefrontIsStale(projectRoot: string): boolean {
  const dir = storefrontDir(projectRoot);
  const built = join(dir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = [
    ...OWN_SOURCES.map((name) => join(dir, name)),
    ...SHARED_SOURCES.map((name) => join(projectRoot, name)),
  ];
  return sources.some((source) => newerThan(source, builtAt));
}

function newerThan(path: string, time: number): boolean {
  if (!existsSync(path)) return false;
  const found = statSync(path);
  if (!found.isDirectory()) return found.mtimeMs > time;
  return readdirSync(path, { withFileTypes: true }).some(
    (entry) => entry.name !== 'node_modules' && entry.name !== 'dist' && newerThan(join(path, entry.name), time),
  );
}

/** Runs `vite build` in web/storefront; rejects with its output when it fails. */
export function buildStorefront(projectRoot: string, signal?: AbortSignal): Promise<void> {
  const dir = storefrontDir(projectRoot);
  const vite = join(dirname(createRequire(join(dir, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`building the storefront failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}
