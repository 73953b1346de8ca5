#!/usr/bin/env node
// The hub runs its TypeScript through tsx's loader: no build step between `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/run.ts');
