import { defineConfig } from 'vite';

// The dev server and `vite preview` proxy /api to a running API so the browser sees one origin,
// exactly like nginx/the ingress in the container. The API checks `Origin` on state-changing
// requests; API_PUBLIC_ORIGIN rewrites it when the API's configured origin differs from ours.
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:3000';
const publicOrigin = process.env.API_PUBLIC_ORIGIN;

const proxy = {
  '/api': {
    target: apiTarget,
    changeOrigin: false,
    configure(p: {
      on(event: 'proxyReq', cb: (req: { setHeader(k: string, v: string): void }) => void): void;
    }) {
      if (publicOrigin) p.on('proxyReq', (req) => req.setHeader('origin', publicOrigin));
    },
  },
};

export default defineConfig({
  // esbuild's automatic JSX runtime: no Babel plugin needed (fast refresh is not worth the deps).
  esbuild: { jsx: 'automatic' },
  build: {
    manifest: true,
    sourcemap: false,
    target: 'es2020',
    assetsInlineLimit: 0,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for RSC; meaningless in an SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
});
