import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the API and the sync endpoint to the Convene server
// (`tsx watch server/main.ts`, port 8080 unless PORT says otherwise).
const target = `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  plugins: [react()],
  // No source maps in the production build: the server would hand the whole client
  // source to anyone who asks (test/e2e/source-maps.spec.ts). The dev server has its own.
  // The manifest tells the server which files the dashboard's chunk needs, to have them preloaded (server/static.ts).
  build: { outDir: 'dist', sourcemap: false, manifest: true },
  server: {
    port: 5173,
    proxy: {
      '/api': { target },
      '/collab': { target: target.replace('http', 'ws'), ws: true },
    },
  },
});
