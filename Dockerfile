# syntax=docker/dockerfile:1
# The gateway as a container: built in one stage, run in a slim one as a non-root user.
# Build: docker build -t uem-harmony-gateway .   Run: see deploy/k8s/ or README "Deployment".

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The install patches one dependency file (scripts/patch-dependencies.mjs; README, "Capacity: slow clients and memory").
COPY scripts/patch-dependencies.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json codegen.ts ./
COPY schema ./schema
COPY scripts ./scripts
COPY ide ./ide
COPY src ./src
COPY docs ./docs
COPY README.md ./
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
# The heap ceiling, young generation and V8 thread pool of `npm start` (README, "Memory"), in
# NODE_OPTIONS so that a deployment's own NODE_OPTIONS replaces them (flags on the command line would
# win over it); and its allocator settings, which glibc reads before Node starts: two malloc arenas,
# and blocks of 128 KiB or more mapped on their own so that freeing them gives the memory back.
ENV NODE_OPTIONS="--v8-pool-size=1 --max-semi-space-size=16 --max-old-space-size=512"
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/patch-dependencies.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Allocation-site pretenuring off, as `npm start` runs the gateway (README, "Memory"): V8 refuses
# this flag in NODE_OPTIONS, so it is on the command line.
CMD ["node", "--no-allocation-site-pretenuring", "--enable-source-maps", "dist/main.js"]
