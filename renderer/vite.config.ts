// Builds the renderer into dist/renderer for both hosts (Electron's custom protocol and the web host).
// The hosts serve it under a strict CSP (script-src 'self'; style-src 'self'), so the build must not
// contain inline scripts or styles: Vite's module preload polyfill is off and CSS is emitted as files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Fails the build if index.html ends up with an inline <script> or <style>. */
function noInlineCode(): Plugin {
  return {
    name: 'voltboard-no-inline-code',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        const html = String(file.source);
        const inlineScript = /<script\b(?![^>]*\bsrc=)[^>]*>/i.test(html);
        const inlineStyle = /<style\b/i.test(html) || /\sstyle=/i.test(html);
        if (inlineScript || inlineStyle) {
          this.error(`${file.fileName} has inline ${inlineScript ? 'script' : 'style'}: the hosts' CSP would block it`);
        }
      }
    },
  };
}

/**
 * The boot chunk (main.tsx) loads the app with a dynamic import, so that it runs before the app's code is even
 * fetched; this asks the browser to fetch the app's chunk at once, beside the boot chunk, instead of after it.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'voltboard-preload-app-chunk',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter(
          (f) => f.type === 'chunk' && f.isDynamicEntry && /[\\/]startApp\.tsx$/.test(f.facadeModuleId ?? ''),
        );
        if (ctx.bundle && chunks.length === 0)
          throw new Error('the app chunk (startApp.tsx) was not found: nothing to preload');
        return chunks.map((chunk) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', href: `./${chunk.fileName}`, crossorigin: '' },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), preloadAppChunk(), noInlineCode()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: ['..'] },
  },
});
