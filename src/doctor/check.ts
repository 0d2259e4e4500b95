/**
 * One line of the doctor's table: what was checked, whether it passed, what was found, and how to
 * fix it when it did not.
 */
export interface CheckResult {
  area: 'configuration' | 'database' | 'uem' | 'quota' | 'harmony' | 'mapping';
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export const pass = (area: CheckResult['area'], name: string, detail: string): CheckResult => ({ area, name, ok: true, detail });
export const fail = (area: CheckResult['area'], name: string, detail: string, fix: string): CheckResult => ({ area, name, ok: false, detail, fix });

/** The HTTP status and upstream code of a failed call, when it has them. */
export function failureOf(err: unknown): { status?: number; upstreamCode?: string; code?: string; operation?: string; message: string } {
  const e = err as { details?: { status?: number; upstreamCode?: string | number; operation?: string }; code?: string; message?: string };
  return {
    status: e?.details?.status,
    upstreamCode: e?.details?.upstreamCode === undefined ? undefined : String(e.details.upstreamCode),
    code: e?.code,
    operation: e?.details?.operation,
    message: e?.message ?? String(err),
  };
}
