import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root (npm scripts do): `root` and `outDir` are relative to it and to `root`.
// `npm run dev:dashboard` serves the client with hot reload and sends API calls to a server on port 5000.
const server = 'http://127.0.0.1:5000';

export default defineConfig({
  root: 'client',
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    // Maps are written for debugging but not linked from the bundles (the server never serves them in production).
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 800,
    // DASHBOARD_NO_MINIFY=1 keeps function names, for reading a CPU profile (bench:dashboard's BENCH_CPU_PROFILE).
    minify: !process.env.DASHBOARD_NO_MINIFY,
  },
  server: {
    proxy: {
      '/graphql': { target: server, ws: true },
      '/uploads': server,
      '/dashboard/config.json': server,
    },
  },
});
