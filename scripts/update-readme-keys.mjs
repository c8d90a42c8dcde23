// Rewrites the README's key list from the keymap table (run after `npm run build`).
// test/unit/readme.test.ts fails when the README and the table disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { keymapMarkdown } from '../dist/views/keymap.js';

const START = '<!-- keys:start -->';
const END = '<!-- keys:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section`);
writeFileSync('README.md', `${readme.slice(0, from + START.length)}\n${keymapMarkdown()}${readme.slice(to)}`);
