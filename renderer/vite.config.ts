import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The hub serves dist/renderer at `/`, so the desk's socket and login go to its own origin.
// In development Vite serves the desk and forwards /api and /socket.io to a hub on the default port.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:4610',
      '/socket.io': { target: 'http://127.0.0.1:4610', ws: true },
    },
  },
});
