import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the API and the sync endpoint to the Convene server
// (`tsx watch server/main.ts`, port 8080 unless PORT says otherwise).
const target = `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true },
  server: {
    port: 5173,
    proxy: {
      '/api': { target },
      '/collab': { target: target.replace('http', 'ws'), ws: true },
    },
  },
});
