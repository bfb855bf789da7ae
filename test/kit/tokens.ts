import { mintToken, type MintTokenOptions } from '../../gateway/auth/mintToken.js';

/** Request headers for a caller holding a development token (the key `npm start` and the tests trust). */
export async function as(options: MintTokenOptions, purpose?: string): Promise<Record<string, string>> {
  return {
    authorization: `Bearer ${await mintToken(options)}`,
    ...(purpose ? { 'x-credit-purpose': purpose } : {}),
  };
}

/** A department that may read everything, personal data included, for the stated purpose. */
export const fullReader = (department = 'NDRC') =>
  as(
    {
      caller: 'department',
      department,
      scopes: ['credit:read', 'credit:read:personal', 'credit:read:secret', 'listing:write', 'enforcement:act', 'repair:decide'],
      purposes: ['ADMINISTRATIVE_APPROVAL'],
    },
    'ADMINISTRATIVE_APPROVAL',
  );
