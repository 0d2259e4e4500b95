/** The upstream concurrency limit is the shared limiter of src/concurrency.ts. */
export { ConcurrencyLimiter } from '../../concurrency.js';
