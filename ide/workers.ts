/**
 * Monaco's web workers, served by the gateway next to the IDE (GraphiQL's own setup helpers load
 * them from a CDN or expect Vite or webpack). Classic workers from same-origin URLs, so the page
 * works offline and under a strict Content-Security-Policy.
 */
import type { IdeSettings } from './settings.js';

interface MonacoEnvironment {
  getWorker(workerId: string, label: string): Worker;
}

export function setupWorkers(workers: IdeSettings['workers']): void {
  (globalThis as { MonacoEnvironment?: MonacoEnvironment }).MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      const url = label === 'json' ? workers.json : label === 'graphql' ? workers.graphql : workers.editor;
      return new Worker(url, { name: `monaco-${label}` });
    },
  };
}
