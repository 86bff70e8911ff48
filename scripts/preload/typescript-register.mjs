// Preloaded on a Node that cannot strip types (see typescript-loader.mjs): serves TypeScript from the runner's cache,
// then loads the port map through it (Node 20.6 does not apply these hooks to a later --import of its own).
import { register } from 'node:module';

const data = { dir: process.env.WORKBOOK_TS_CACHE ?? '', salt: process.env.WORKBOOK_TS_SALT ?? '' };
register('./typescript-loader.mjs', import.meta.url, { data });
await import('./port-map.ts');
