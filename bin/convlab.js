#!/usr/bin/env node
// The convlab CLI; the TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import { main } from '../dist/core/cli/main.js';
await main(process.argv.slice(2));
