// Builds the console (console/ → console/dist), which the API serves at /console/. `npm run
// dev:console` serves it with hot reload and passes its API calls to the API at API_URL.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repository = fileURLToPath(new URL('..', import.meta.url));
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        // Libraries change less often than the console: separate files stay cached across releases.
        manualChunks: (id) => {
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (/node_modules\/(zod|json-rules-engine|jsonpath-plus|eventemitter2|hash-it|clone)\//.test(id)) return 'rules-engine';
          return undefined;
        },
      },
      onwarn(warning, warn) {
        // zod's sources carry /* @__PURE__ */ comments where Rollup cannot use them; harmless.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
        warn(warning);
      },
    },
  },
  server: {
    // The console imports the rule validator and the API's types from outside its root.
    fs: { allow: [repository] },
    // As the API's own origin: the API refuses browser requests from origins not on its allow-list.
    proxy: Object.fromEntries(['/v1', '/codec', '/console/config.json'].map((prefix) => [prefix, { target: apiUrl, changeOrigin: true, headers: { origin: new URL(apiUrl).origin } }])),
  },
});
