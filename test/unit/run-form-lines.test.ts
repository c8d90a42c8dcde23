import { describe, expect, test } from 'vitest';
import { displayWidth } from '../../src/views/format.js';
import { RUN_FIELDS, runFormLines, type FieldId, type FormLine, type RunFormView } from '../../src/views/run-form-lines.js';

const empty = Object.fromEntries(RUN_FIELDS.map((f) => [f.id, ''])) as Record<FieldId, string>;

function view(partial: Partial<RunFormView> = {}): RunFormView {
  return { step: 'edit', values: { ...empty, image: 'busybox:latest' }, focus: 'name', errors: {}, ...partial };
}

const text = (line: FormLine) => line.map((s) => s.text).join('');
const texts = (lines: FormLine[]) => lines.map(text);
const focusedRow = (lines: FormLine[]) => texts(lines).find((t) => t.startsWith('› '));

function expectWithin(lines: FormLine[], width: number, height: number) {
  expect(lines.length).toBeLessThanOrEqual(height);
  for (const line of texts(lines)) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
}

describe('runFormLines: editing', () => {
  test('80x20: a title, then one labelled row per field; placeholders while empty, the cursor after the focused value', () => {
    const lines = runFormLines(view({ values: { ...empty, image: 'busybox:latest', name: 'api' } }), 80, 20);
    expect(texts(lines)[0]).toBe('Run a container (docker run -d)');
    expect(lines).toHaveLength(1 + RUN_FIELDS.length);
    expect(texts(lines)[1]).toMatch(/^ {2}image +busybox:latest$/);
    expect(focusedRow(lines)).toMatch(/^› name +api $/);
    expect(lines[2]?.at(-1)).toEqual({ text: ' ', inverse: true });
    expect(texts(lines).find((t) => t.includes('ports -p'))).toContain('8080:80 53:53/udp');
    expect(lines[3]?.at(-1)?.role).toBe('dim');
  });

  test('an error is shown under its field, in the error role', () => {
    const lines = runFormLines(view({ errors: { ports: '-p 99999:80: the host port "99999" is not a number from 1 to 65535' } }), 80, 20);
    const at = texts(lines).findIndex((t) => t.includes('ports -p'));
    expect(texts(lines)[at + 1]?.trim()).toBe('-p 99999:80: the host port "99999" is not a number from 1 to 65535');
    expect(lines[at + 1]?.at(-1)?.role).toBe('error');
  });

  test('40x6: a window of whole fields around the focused one, the title saying which', () => {
    for (const field of RUN_FIELDS) {
      const lines = runFormLines(view({ focus: field.id }), 40, 6);
      expectWithin(lines, 40, 6);
      expect(focusedRow(lines), field.id).toContain(field.label);
      expect(texts(lines)[0]).toMatch(/^Run a container.*fields? \d+-\d+ of 10|…/);
    }
    expect(texts(runFormLines(view({ focus: 'cpus' }), 60, 6))[0]).toContain('fields 6-10 of 10');
  });

  test('a long value shows its end while focused (where typing goes on), its start otherwise', () => {
    const long = `${'a'.repeat(60)}END`;
    const focused = runFormLines(view({ focus: 'command', values: { ...empty, command: long } }), 40, 20);
    expect(focusedRow(focused)).toMatch(/…a+END $/);
    const other = runFormLines(view({ focus: 'name', values: { ...empty, command: long } }), 40, 20);
    expect(texts(other).find((t) => t.includes('command'))).toMatch(/aaa…$/);
    expectWithin(focused, 40, 20);
    expectWithin(other, 40, 20);
  });

  test('control characters and escape sequences in a value never reach the line', () => {
    const lines = runFormLines(view({ values: { ...empty, name: 'a\u001B[2Jb\u0007c\u202Ed\u0085e' } }), 80, 20);
    expect(focusedRow(lines)).toMatch(/^› name +abcde $/);
  });

  test('the engine\'s refusal stays above the fields; when rows are short, the focused field still shows', () => {
    const refusal = 'Conflict. The container name "/web" is already in use by container "0123456789ab".';
    const roomy = runFormLines(view({ refusal }), 80, 20);
    expect(texts(roomy)[1]).toContain('The engine refused: Conflict.');
    const tight = runFormLines(view({ refusal, focus: 'cpus', errors: { cpus: '--cpus x: expected a positive number of CPUs such as 0.5 or 2' } }), 40, 3);
    expectWithin(tight, 40, 3);
    expect(focusedRow(tight)).toContain('cpus');
  });
});

describe('runFormLines: the docker run line', () => {
  const commandLine = "docker run -d --name api -e 'A=hello world' -p 127.0.0.1::8080 -v api-vol:/data --restart unless-stopped --memory 64m --cpus 0.5 dockhand-test/busybox:latest sh -c 'echo $GREETING; sleep 3600'";

  test('80x24: the title, the whole line wrapped, then the keys', () => {
    const lines = runFormLines(view({ step: 'confirm', commandLine }), 80, 24);
    expect(texts(lines)[0]).toBe('Run this? The same as:');
    expect(texts(lines).at(-1)).toBe('y run · n/Esc back to the form');
    expect(texts(lines).slice(1, -1).filter(Boolean).join(' ')).toBe(commandLine);
    expectWithin(lines, 80, 24);
  });

  test('40x7: never cut; the blank rows and the title give way first', () => {
    const lines = runFormLines(view({ step: 'confirm', commandLine }), 40, 7);
    expectWithin(lines, 40, 7);
    const shown = texts(lines).filter((t) => t.length > 0 && !t.startsWith('Run this') && !t.startsWith('y run')).join(' ');
    expect(shown).toBe(commandLine);
  });

  test('running: the line dim under what is happening', () => {
    const lines = runFormLines(view({ step: 'running', commandLine: 'docker run -d busybox' }), 80, 10);
    expect(texts(lines)).toEqual(['Creating and starting the container…', '', 'docker run -d busybox']);
    expect(lines[2]?.[0]?.role).toBe('dim');
  });
});
