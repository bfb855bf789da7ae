import { Kind, visit, type DocumentNode } from 'graphql';

/**
 * Characters no text input may carry: NUL and the other C0 and C1 controls (tab, line feed and carriage return
 * excepted: free text has lines), the bidirectional marks, overrides and isolates (stored, they make a record read
 * otherwise than it says), and lone UTF-16 surrogates (no character at all). Matched on code units, no `u` flag.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnsafeText {
  /** Where it was: `$name.path` for a variable, `argument name` for a literal in the document. */
  where: string;
  /** The offending character as U+XXXX. */
  character: string;
}

const codePoint = (s: string) => `U+${s.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

function inValue(value: unknown, where: string): UnsafeText | null {
  if (typeof value === 'string') {
    const m = UNSAFE.exec(value);
    return m ? { where, character: codePoint(m[0]) } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inValue(value[i], `${where}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = inValue(item, `${where}.${key}`) ?? inValue(key, `${where} (a key)`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The first unsafe character in the operation's text: its string literals and its variables. A document whose source
 * has neither an unsafe character nor a \u escape cannot hold one in a literal, and is not walked.
 */
export function findUnsafeText(document: DocumentNode, variables: Record<string, unknown> | undefined): UnsafeText | null {
  const source = document.loc?.source.body;
  if (source !== undefined && !source.includes('\\u') && !UNSAFE.test(source)) return inValue(variables ?? {}, '$');
  let found: UnsafeText | null = null;
  visit(document, {
    Argument(node) {
      if (found) return false;
      visit(node.value, {
        StringValue(value) {
          if (!found) found = inValue(value.value, `argument ${node.name.value}`);
        },
      });
      return false;
    },
    [Kind.VARIABLE_DEFINITION](node) {
      if (found || !node.defaultValue) return false;
      visit(node.defaultValue, {
        StringValue(value) {
          if (!found) found = inValue(value.value, `default of $${node.variable.name.value}`);
        },
      });
      return false;
    },
  });
  return found ?? inValue(variables ?? {}, '$');
}

export function describeUnsafeText(found: UnsafeText): string {
  return `text input ${found.where} contains ${found.character}: control characters, bidirectional overrides and lone surrogates are not accepted`;
}
