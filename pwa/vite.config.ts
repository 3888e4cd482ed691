import { defineConfig, type ProxyOptions } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

const backend = process.env.WMS_BACKEND ?? 'http://127.0.0.1:8000';

// The server refuses WebSocket handshakes from another origin (the dev server's
// port), so the proxied upgrade presents the backend's own origin.
const graphqlProxy: ProxyOptions = {
  target: backend,
  ws: true,
  changeOrigin: true,
  configure: (proxy) => {
    proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', new URL(backend).origin));
  },
};

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
      '/graphql': graphqlProxy,
      '/healthz': { target: backend },
    },
  },
  preview: {
    proxy: {
      '/graphql': graphqlProxy,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
