/** `npm run compose`: writes schema/supergraph.graphql from the subgraph SDLs, or prints why it cannot. */
import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../schema/compose.js';
import { SUPERGRAPH_FILE } from '../schema/files.js';

const result = composeSupergraph();
if (!result.ok) {
  console.error(`composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_FILE, result.supergraphSdl);
console.log(`wrote ${SUPERGRAPH_FILE.pathname}`);
