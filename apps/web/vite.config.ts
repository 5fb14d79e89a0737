import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { precompress } from './build/precompress.ts';
import { vantOnDemand } from './build/vant-components.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const libs = fileURLToPath(new URL('../../libs/', import.meta.url));

/**
 * The server's modules the UI may import through `@libs/…`: the codes, their Chinese names and the
 * API's answer shapes, pure data and types that import nothing else (eslint.config.mjs holds them to it),
 * so the names exist once and no server code (Nest, TypeORM, class-validator) reaches the bundle.
 */
const SHARED_FILES = /^[a-z]+\/src\/(names|views|role-names|audit-names|[a-z-]*routes)\.ts$|^platform\/src\/http\/contract\.ts$/;
const isShared = (file: string) => file.startsWith(libs) && SHARED_FILES.test(file.slice(libs.length));

/** Fails the build (and the dev server) when anything else under libs/ would be loaded. */
const sharedOnly: Plugin = {
  name: 'sangong:shared-libs-only',
  enforce: 'pre',
  load(id) {
    const file = id.split('?')[0];
    if (file.startsWith(libs) && !isShared(file))
      this.error(`${file} is server code; the web may import only ${SHARED_FILES.source} under libs/`);
  },
};

// Built into apps/web/dist, which the API serves at / (the API itself stays under /api).
export default defineConfig({
  root,
  base: '/',
  plugins: [sharedOnly, vue(), vantOnDemand(), precompress()],
  resolve: { alias: { '@libs': libs.replace(/\/$/, '') } },
  // Nothing here uses the Options API (data, methods, mixins): Vue's support for it is left out of the bundle.
  define: { __VUE_OPTIONS_API__: 'false' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Everything the first page needs (Vue, the router, the API client, the login page and the Vant
        // components it shows) in one chunk: one request on a slow link instead of half a dozen small ones.
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  server: {
    // The web's own files, the dependencies and, of libs/, only the shared files.
    fs: { allow: [root, fileURLToPath(new URL('../../node_modules', import.meta.url)), libs] },
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
