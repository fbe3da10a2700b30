import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: dist/ works from any path of any static server
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs backends are large single modules; the warning says nothing useful here
    chunkSizeWarningLimit: 2000,
  },
});
