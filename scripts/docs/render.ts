import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { z } from 'zod';
import { EVENT_CATALOGUE } from '../../lib/contracts/events/catalogue.js';
import { RULES } from '../../lib/contracts/rules.js';
import { ErrorCode, HTTP_STATUS } from '../../lib/platform/errors.js';

/** The project's generated documents, by path: rules, error codes and events, each from its one source in the code. */
export function renderDocs(): Record<string, string> {
  return { 'docs/rules.md': rules(), 'docs/errors.md': errors(), 'docs/events.md': events() };
}

const GENERATED = (source: string) => `<!-- generated from ${source} by \`npm run docs\`; a test fails when it is stale -->\n\n`;

function rules(): string {
  const groups: [string, RegExp][] = [
    ['Lists', /^L/],
    ['Joint enforcement', /^E/],
    ['Objection and repair', /^R/],
    ['Access, privacy and security', /^A/],
    ['Calendar', /^CAL$/],
  ];
  let out = `${GENERATED('lib/contracts/rules.ts')}# The rules, by id\n\nCode, tests and error responses (\`extensions.rule\`) cite these ids.\n`;
  for (const [title, pattern] of groups) {
    out += `\n## ${title}\n\n| id | rule | what it says | where |\n| --- | --- | --- | --- |\n`;
    for (const [id, rule] of Object.entries(RULES)) if (pattern.test(id)) out += `| ${id} | ${rule.title} | ${rule.statement} | \`${rule.where}\` |\n`;
  }
  return out;
}

/** The registry's own comments, read from its source: the one place the codes are explained. */
function errorComments(): Record<string, string> {
  const file = new URL('../../lib/platform/errors.ts', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile('errors.ts', text, ts.ScriptTarget.Latest, true);
  const comments: Record<string, string> = {};
  source.forEachChild(function visit(node): void {
    if (ts.isPropertyAssignment(node)) {
      const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
      const doc = ranges
        .map((r) =>
          text
            .slice(r.pos, r.end)
            .replace(/^\/\*\*|\*\/$/g, '')
            .replace(/^\s*\* ?/gm, ''),
        )
        .join(' ');
      if (doc.trim()) comments[node.name.getText(source)] ??= doc.replace(/\s+/g, ' ').trim();
    }
    node.forEachChild(visit);
  });
  return comments;
}

function errors(): string {
  const comments = errorComments();
  let out = `${GENERATED('lib/platform/errors.ts')}# Error codes\n\nEvery error carries one of these in \`extensions.code\`: integrators branch on them; codes are added, never renamed.\nThe HTTP status is the response's when errors decided it (nothing came back but nulls).\n\n| code | HTTP status | when |\n| --- | --- | --- |\n`;
  for (const code of Object.values(ErrorCode)) out += `| \`${code}\` | ${HTTP_STATUS[code]} | ${comments[code] ?? ''} |\n`;
  return out;
}

function events(): string {
  let out = `${GENERATED('lib/contracts/events')}# Events between the subgraphs\n\nPublished in the transaction of the change (outbox), delivered at least once, handled once by each consumer (inbox).\nEvery payload is checked against its schema by the publisher and again by the consumer; an event that fails is parked\n(\`event_parked\`, with the reason) and never applied.\n`;
  for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) {
    const schema = z.toJSONSchema(entry.schema) as {
      properties?: Record<string, { type?: unknown; enum?: unknown[]; anyOf?: { type?: unknown; enum?: unknown[] }[] }>;
      required?: string[];
    };
    out += `\n## \`${type}\` (version ${entry.version})\n\n${entry.description}\n\n| field | type | required |\n| --- | --- | --- |\n`;
    for (const [field, spec] of Object.entries(schema.properties ?? {}))
      out += `| \`${field}\` | ${typeOf(spec)} | ${schema.required?.includes(field) ? 'yes' : 'no'} |\n`;
  }
  return out;
}

function typeOf(spec: { type?: unknown; enum?: unknown[]; anyOf?: { type?: unknown; enum?: unknown[] }[] }): string {
  if (spec.anyOf) return spec.anyOf.map(typeOf).join(' or ');
  if (spec.enum) return spec.enum.map((v) => `\`${String(v)}\``).join(', ');
  return Array.isArray(spec.type) ? spec.type.join(' or ') : String(spec.type ?? 'any');
}
