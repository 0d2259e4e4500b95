/** The part of autocannon 9's API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface Options {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Stop after this many requests (0 = no limit). */
    amount?: number;
    /** Requests per second over all connections (paced load). */
    overallRate?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    verifyBody?: (body: string) => boolean;
    /** A sequence of requests; `setupRequest` may change each one before it is sent. */
    requests?: { body?: string; setupRequest?: (request: RawRequest) => RawRequest }[];
  }
  interface RawRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    total: number;
  }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
  }
  interface Instance extends PromiseLike<Result> {
    stop(): void;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
  export type { Options, Result };
}
