/** Types of scripts/patch-dependencies.mjs (plain JavaScript: it runs at install, before any compiler). */
export const MARKER: string;
export const TARGETS: readonly string[];
export type PatchOutcome = 'already' | 'patched' | 'unknown';
export function patchText(text: string): { outcome: PatchOutcome; text: string };
export function patchDependencies(
  nodeModules: string,
  options?: { check?: boolean },
): { file: string; outcome: PatchOutcome | 'missing' | 'unpatched' }[];
