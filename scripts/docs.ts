/** `npm run docs`: writes docs/rules.md, docs/errors.md and docs/events.md from their sources in the code. */
import { writeFileSync } from 'node:fs';
import { renderDocs } from './docs/render.js';

for (const [path, text] of Object.entries(renderDocs())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), text);
  console.log(`wrote ${path}`);
}
