#!/usr/bin/env node
// React and Ink choose their build when first imported, and the configuration's modules import
// React before anything in main.tsx runs: so the choice is made here, before any import. The
// development build records an owner stack for every element it creates, a third of dockhand's
// idle CPU and tens of MB (npm run bench).
process.env['NODE_ENV'] ??= 'production';
await import('./main.js');
