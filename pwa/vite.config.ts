import { defineConfig, type Plugin, type ProxyOptions } from 'vite';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
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

// The camera decoder (barcode-detector and its zxing wasm, about 1.1 MB) is its
// own chunk, loaded on the first camera use and cached then (runtimeCaching
// below): a wedge-only handheld never downloads it. Workbox matches a RegExp
// anywhere in a same-origin URL and never another origin's.
const DECODER_MODULES = /node_modules[\\/](barcode-detector|zxing-wasm)[\\/]/;
const DECODER_FILES = /\/assets\/(decoder-[^/]+\.js|zxing_reader-[^/]+\.wasm)$/;

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|webmanifest|json|wasm|txt)$/;

/**
 * Write a brotli (.br) and a gzip (.gz) copy of every text file of the build,
 * compressed once at the highest level; the server sends the copy the client
 * accepts (backend/http/delivery.py). Runs after the service worker is written.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'wms-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir)) {
          if (!COMPRESSIBLE.test(file)) continue;
          const raw = readFileSync(file);
          if (raw.length < 512) continue;
          const br = brotliCompressSync(raw, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length },
          });
          writeFileSync(`${file}.br`, br);
          writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
        }
      },
    },
  };
}

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  plugins: [
    precompress(),
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
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest}'],
        globIgnores: ['**/assets/decoder-*.js', '**/assets/*.wasm'],
        // Cached on first use instead: hashed names never change content, so
        // cache-first; once the camera has been opened it works offline.
        runtimeCaching: [
          {
            urlPattern: DECODER_FILES,
            handler: 'CacheFirst',
            options: {
              cacheName: `wms-decoder-v${pkg.version}`,
              expiration: { maxEntries: 8 },
            },
          },
        ],
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
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'decoder', test: DECODER_MODULES }],
        },
      },
    },
  },
});
