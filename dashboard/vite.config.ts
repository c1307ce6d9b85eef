import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard SPA: served by the API from dist/dashboard at /dashboard/ (src/http-app.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    // One chunk per page's worth is plenty; ECharts alone is ~350 kB minified.
    chunkSizeWarningLimit: 800,
    // Two pages: the merchant's dashboard and the customer portal (served at /portal), sharing chunks.
    rolldownOptions: {
      input: {
        dashboard: fileURLToPath(new URL('index.html', import.meta.url)),
        portal: fileURLToPath(new URL('portal.html', import.meta.url)),
      },
    },
  },
});
