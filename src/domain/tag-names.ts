/** UEM tag names as callers type them: case-insensitive, surrounding spaces ignored (a null name matches nothing). */
export const sameTagName = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
