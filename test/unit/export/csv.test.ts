import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine, encoderFor, jsonLine, trailerLine } from '../../../src/export/csv.js';

describe('CSV (RFC 4180)', () => {
  it('leaves plain cells alone and writes null as an empty cell, numbers and booleans as they are', () => {
    expect(csvCell('iPhone 15')).toBe('iPhone 15');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(false)).toBe('false');
    expect(csvCell('')).toBe('');
  });

  it('quotes cells with a comma, a quote (doubled), CR or LF', () => {
    expect(csvCell('Lab, 2nd floor')).toBe('"Lab, 2nd floor"');
    expect(csvCell('the "blue" one')).toBe('"the ""blue"" one"');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it('quotes cells holding #, so no data line can start like the trailer line', () => {
    expect(csvCell('#export')).toBe('"#export"');
    expect(csvCell('Lab #3')).toBe('"Lab #3"');
    expect(csvLine(['#1', 'x']).startsWith('#')).toBe(false);
  });

  it('prefixes text a spreadsheet would run as a formula, never numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-rf')).toBe("'-rf");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell([-1, 2])).toBe('-1|2');
  });

  it('joins a list with |, nulls as empty, then guards and quotes the joined text', () => {
    expect(csvCell(['Notify', 'BlockEmail'])).toBe('Notify|BlockEmail');
    expect(csvCell(['a', null, 'c'])).toBe('a||c');
    expect(csvCell([])).toBe('');
    expect(csvCell(['x,y', 'z'])).toBe('"x,y|z"');
    expect(csvCell(['=1', 'z'])).toBe("'=1|z");
  });

  it('ends lines with CRLF; the header is the dotted names', () => {
    expect(csvLine(['1', null, 'a,b'])).toBe('1,,"a,b"\r\n');
    expect(csvHeader([{ name: 'id', path: ['id'] }, { name: 'user.email', path: ['user', 'email'] }])).toBe('id,user.email\r\n');
    expect(encoderFor('csv', [{ name: 'id', path: ['id'] }]).header()).toBe('id\r\n');
  });
});

describe('JSON lines', () => {
  const columns = [
    { name: 'id', path: ['id'] },
    { name: 'user.email', path: ['user', 'email'] },
    { name: 'tags.name', path: ['tags', 'name'] },
  ];

  it('writes one object per line under the dotted names, keeping types and lists', () => {
    const line = jsonLine(columns, ['1', null, ['a', 'b']]);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ id: '1', 'user.email': null, 'tags.name': ['a', 'b'] });
    expect(Object.keys(JSON.parse(line))).toEqual(['id', 'user.email', 'tags.name']);
    expect(encoderFor('jsonl', columns).header()).toBe('');
  });
});

describe('the trailer line', () => {
  const trailer = { status: 'error' as const, rows: 1500, pages: 3, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'UEM is unavailable.' } };

  it('is "#export <json>" in CSV and {"__export": …} in JSON lines', () => {
    const csv = trailerLine('csv', trailer);
    expect(csv.startsWith('#export {')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(JSON.parse(csv.slice('#export '.length))).toEqual(trailer);
    expect(JSON.parse(trailerLine('jsonl', trailer))).toEqual({ __export: trailer });
  });
});
