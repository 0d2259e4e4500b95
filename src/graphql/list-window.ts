/**
 * Relay connections over a list the gateway holds whole (a member list, a cached catalog, a scan):
 * the window [offset, offset + first) of the list, with cursors bound to the list's scope (a filter
 * or the parent's id) like every other cursor. A node the caller could not load stays a gap: it
 * gets no edge but keeps its position, so cursors never repeat or skip an item.
 */
import { LazyConnection, type Connection } from './connection.js';
import type { CursorCodec } from './cursor.js';

export interface ListWindow {
  offset: number;
  /** Exclusive. */
  end: number;
}

export function listWindow(total: number, first: number, offset: number): ListWindow {
  return { offset, end: Math.min(total, offset + first) };
}

/** `nodes[i]` is the item at `window.offset + i`; null marks a gap. */
export function windowConnection<T>(
  window: ListWindow,
  nodes: readonly (T | null)[],
  total: number,
  scope: unknown,
  cursors: CursorCodec,
): Connection<T> {
  // Positions count the gaps, so a present node keeps the cursor of its place in the list.
  const positions: number[] = [];
  const present: T[] = [];
  nodes.forEach((node, i) => {
    if (node === null) return;
    positions.push(window.offset + i);
    present.push(node);
  });
  // The end cursor is the window's last place, a gap or not.
  const last = nodes.length > 0 ? window.offset + nodes.length - 1 : null;
  return new LazyConnection(present, total, window.offset + nodes.length < total, last, (i) => positions[i]!, scope, cursors);
}

/** A connection over a list held in memory. */
export function sliceConnection<T>(items: readonly T[], first: number, offset: number, scope: unknown, cursors: CursorCodec): Connection<T> {
  const window = listWindow(items.length, first, offset);
  return windowConnection(window, items.slice(window.offset, window.end), items.length, scope, cursors);
}
