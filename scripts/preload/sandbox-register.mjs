// Preloaded instead of tsx when grading under Node's permission model (see sandbox-loader.mjs for why).
import { register } from 'node:module';

register('./sandbox-loader.mjs', import.meta.url);
