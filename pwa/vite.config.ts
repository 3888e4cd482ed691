import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

const backend = process.env.WMS_BACKEND ?? 'http://127.0.0.1:8000';

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'WMS Handheld',
        short_name: 'Handheld',
        description: 'Receive, put away, pick, count and move stock from a handheld.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0f1f33',
        background_color: '#0f1f33',
        icons: [
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        cacheId: `wms-shell-v${pkg.version}`,
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm}'],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        navigateFallback: 'index.html',
        // Only the app's own entry falls back to the shell; /graphql, /healthz,
        // printed documents and anything else the server owns stay on the network.
        navigateFallbackAllowlist: [/^\/(\?.*)?$/, /^\/index\.html/],
      },
    }),
  ],
  server: {
    host: true,
    proxy: {
      '/graphql': { target: backend, ws: true, changeOrigin: true },
      '/healthz': { target: backend },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: backend, ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
