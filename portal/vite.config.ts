// Two entries: the portal (index.html) and an offline GraphiQL (graphiql.html), both served by
// the Starlette app from dist/; hashed files land in dist/assets/ (cached for a year).
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': here('./src') } },
  build: {
    target: 'es2020',
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: { index: here('./index.html'), graphiql: here('./graphiql.html') },
      // GraphiQL's React parts carry "use client" (for server components): harmless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:8000' } },
})
