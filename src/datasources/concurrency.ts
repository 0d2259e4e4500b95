/** The datasources' bounded concurrency: the app-wide helpers of `src/concurrency.ts`. */
export { chunk, mapConcurrent } from '../concurrency.js';
