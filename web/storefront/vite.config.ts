import { gzipSync } from 'node:zlib';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/**
 * The contracts define their messages with `defineMessage` from the messaging chassis, whose package
 * entry also brings the transports (PostgreSQL, RabbitMQ, NATS). The browser needs only the definition.
 */
const messageDefinition = fileURLToPath(new URL('../../chassis/messaging/src/message-definition.ts', import.meta.url));

/** Gzipped copies beside the hashed assets, so the gateway sends them compressed without compressing per request. */
function precompress(): Plugin {
  return {
    name: 'talad-precompress',
    apply: 'build',
    async closeBundle() {
      const assets = join(root, 'dist', 'assets');
      for (const name of await readdir(assets)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = join(assets, name);
        await writeFile(`${file}.gz`, gzipSync(await readFile(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), precompress()],
  resolve: { alias: { '@talad/messaging': messageDefinition } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
