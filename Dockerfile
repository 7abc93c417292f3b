# SpecGate MCP server (Streamable HTTP). Build: docker build -t specgate .
# Run: docker run -p 3000:3000 -e SPECGATE_HTTP_TOKEN=… -v "$PWD:/workspace" specgate
FROM node:20-bookworm-slim AS build
WORKDIR /build/app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# The compiler and the bundler need the production dependencies, TypeScript, the types of Node
# and of markdown-it, and esbuild (installed one level up, where module resolution finds them) —
# not the test tools.
RUN npm install --prefix .. --no-save --no-package-lock --ignore-scripts \
      "typescript@$(node -p "require('./package.json').devDependencies.typescript")" \
      "@types/node@$(node -p "require('./package-lock.json').packages['node_modules/@types/node'].version")" \
      "@types/markdown-it@$(node -p "require('./package-lock.json').packages['node_modules/@types/markdown-it'].version")" \
      "esbuild@$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version")" \
 && npm ci --omit=dev --ignore-scripts
COPY src ./src
COPY scripts/build-cli.mjs ./scripts/build-cli.mjs
COPY rulesets ./rulesets
RUN ../node_modules/.bin/tsc -p tsconfig.build.json && node scripts/build-cli.mjs

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SPECGATE_HTTP_HOST=0.0.0.0 \
    SPECGATE_HTTP_PORT=3000 \
    SPECGATE_WORKSPACE=/workspace
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /build/app/dist ./dist
COPY rulesets ./rulesets
COPY schemas ./schemas
# spec_generate (write: true) and rule_check (paths) work under the workspace: mount the
# repository there; the server runs as `node`, which owns it.
RUN mkdir -p /workspace && chown node:node /workspace
VOLUME ["/workspace"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SPECGATE_HTTP_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cli.js", "serve", "--http"]
