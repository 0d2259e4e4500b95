/** Style sheets imported for their side effect; esbuild bundles them (scripts/build-ide.mjs). */
declare module '*.css';
