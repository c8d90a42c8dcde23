import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keymapMarkdown } from '../../src/views/keymap.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('lists exactly the keys of the keymap table (run `npm run keys` when this fails)', () => {
    const section = /<!-- keys:start -->\n([\s\S]*?)<!-- keys:end -->/.exec(readme)?.[1];
    expect(section).toBe(keymapMarkdown());
  });

  it('gives the test command that .ci/run runs', () => {
    const ciCommand = readFileSync('.ci/run', 'utf8').trim().split('\n').at(-1);
    expect(ciCommand).toBe('npm ci && npm test');
    expect(readme).toContain(`\`\`\`sh\n${ciCommand}\n\`\`\``);
  });
});
