/**
 * What the audit row of a refused request says about it: the root fields of its mutations, read
 * with the lexer alone and no further than the token limit, so recording a refusal never costs
 * more than parsing a document may (a partner's 20 KB free-text mutation of 10,000 aliased fields
 * is one row naming one field, not 10,000 rows). One row per request, whatever the document holds.
 */
import { Lexer, Source, TokenKind, type Token } from 'graphql';

export interface MutationFields {
  /** Distinct root field names, in order of appearance (at most MAX_FIELDS). */
  fields: string[];
  /** Root field selections, aliases and repeats included. */
  rootFields: number;
  /** The name of the first mutation operation, if it has one. */
  operationName: string | null;
  /** False when the scan stopped at the token limit or at a lexical error. */
  complete: boolean;
}

const MAX_FIELDS = 50;
/** Longest `field` column of a multi-field row; the complete list is in `details.fields`. */
const MAX_LABEL = 200;

/**
 * The root fields of the mutations in `text`, or undefined when it holds no mutation (refused
 * queries are not recorded). Fragment spreads at the root are not followed.
 */
export function mutationFieldsOf(text: string, maxTokens: number): MutationFields | undefined {
  const lexer = new Lexer(new Source(text));
  const fields = new Set<string>();
  let rootFields = 0;
  let braces = 0;
  let parens = 0;
  let inMutation = false;
  let sawMutation = false;
  let operationName: string | null = null;
  let previous: Token | undefined;
  let complete = true;
  try {
    for (let count = 0; ; count++) {
      if (count >= maxTokens) {
        complete = false;
        break;
      }
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) break;
      if (token.kind === TokenKind.BRACE_L) braces++;
      else if (token.kind === TokenKind.BRACE_R) braces = Math.max(0, braces - 1);
      else if (token.kind === TokenKind.PAREN_L) parens++;
      else if (token.kind === TokenKind.PAREN_R) parens = Math.max(0, parens - 1);
      else if (token.kind === TokenKind.NAME && braces === 0 && parens === 0 && startsDefinition(previous)) {
        inMutation = token.value === 'mutation';
        if (inMutation && !sawMutation) operationName = nameAfter(lexer);
        sawMutation ||= inMutation;
      } else if (token.kind === TokenKind.NAME && inMutation && braces === 1 && parens === 0 && isFieldName(previous, lexer)) {
        rootFields++;
        if (fields.size < MAX_FIELDS) fields.add(token.value);
      }
      previous = token;
    }
  } catch {
    complete = false; // a lexical error: what was read so far stands
  }
  return sawMutation ? { fields: [...fields], rootFields, operationName, complete } : undefined;
}

const nameAfter = (lexer: Lexer): string | null => {
  const next = lexer.lookahead();
  return next.kind === TokenKind.NAME ? next.value : null;
};

/** A definition starts the document or follows the closing brace of the previous one. */
const startsDefinition = (previous: Token | undefined) => previous === undefined || previous.kind === TokenKind.BRACE_R;

/** A name at the root of a selection set is a field unless it is an alias, a directive, a spread or a type condition. */
function isFieldName(previous: Token | undefined, lexer: Lexer): boolean {
  if (previous?.kind === TokenKind.AT || previous?.kind === TokenKind.SPREAD) return false;
  if (previous?.kind === TokenKind.NAME && previous.value === 'on') return false;
  try {
    return lexer.lookahead().kind !== TokenKind.COLON;
  } catch {
    return true; // what follows does not lex: the name stands
  }
}

/** The `field` column of a refusal row: the one field, or the list cut to a readable length. */
export function fieldsLabel(fields: readonly string[], rootFields: number): string {
  if (fields.length === 0) return '…';
  let label = fields.join(',');
  if (label.length > MAX_LABEL) label = `${label.slice(0, MAX_LABEL).replace(/,[^,]*$/, '')},…`;
  else if (rootFields > fields.length && fields.length >= MAX_FIELDS) label += ',…';
  return label;
}
