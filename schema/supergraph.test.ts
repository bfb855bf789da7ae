import { composeSupergraph } from './compose.js';
import { supergraphSdl } from './files.js';

describe('the supergraph', () => {
  const composition = composeSupergraph();

  test('the three subgraph SDLs compose without errors', () => {
    expect(composition.ok ? [] : composition.errors).toEqual([]);
  });

  test('the checked-in supergraph is what composition produces now (run `npm run compose` after an SDL change)', () => {
    expect(composition.ok && composition.supergraphSdl === supergraphSdl()).toBe(true);
  });
});
