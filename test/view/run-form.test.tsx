// Run (R) in the images list of <App> over the in-memory engine: the form prefilled with the
// selected image, field navigation, errors shown by their fields with nothing sent, the
// `docker run` line to confirm, the new container selected in the containers list, the engine's
// refusal bringing the form back as typed, pull-then-run, --read-only and a 40x12 terminal.
import { describe, expect, test } from 'vitest';
import { ContainerStartError } from '../../src/engine/run-spec.js';
import { displayWidth } from '../../src/views/format.js';
import { hasSelected, lines, mountApp, press, selectedName, settle, statusLine, waitForFrame, type Harness, type MountOptions } from '../support/app-harness.js';
import { makeContainer, makeImage } from '../support/fake-engine.js';

const TAB = '\t';
const BACKSPACE = '\u007F';

async function mountImages(options: MountOptions = {}): Promise<Harness> {
  const harness = mountApp([makeContainer({ name: 'web', image: 'nginx:1' })], {
    size: { columns: 100, rows: 24 },
    ...options,
    setup: (engine) => {
      engine.images.push(makeImage({ tags: ['shop/web:1.0'] }));
      engine.registry.set('docker.io/library/busybox:1.36', makeImage({ size: 2_100_000 }));
      options.setup?.(engine);
    },
  });
  await waitForFrame(harness, (f) => f.includes('web'), 'the containers');
  await press(harness, '2', (f) => f.includes('shop/web:1.0'), 'the images');
  return harness;
}

/** The form's row of one field: its label, then what it holds. */
const fieldRow = (frame: string, label: string) => lines(frame).find((line) => new RegExp(`^(› | {2})${label} {2,}`).test(line));
const focusedLabel = (frame: string) => /^› (\S+(?: -\w)?)/.exec(lines(frame).find((line) => line.startsWith('› ')) ?? '')?.[1];

async function openForm(h: Harness): Promise<string> {
  return press(h, 'R', (f) => f.includes('Run a container'), 'the run form');
}

/** Types `text` into the focused field and waits until its row shows the end of it. */
async function type(h: Harness, label: string, text: string): Promise<string> {
  h.stdin.write(text);
  return waitForFrame(h, (f) => fieldRow(f, label)?.includes(text.slice(-8)) === true, `${label} typed`);
}

/** Moves the focus to the field labelled `label` with Tab. */
async function focus(h: Harness, label: string): Promise<void> {
  for (let i = 0; i < 10 && focusedLabel(h.frame()) !== label; i += 1) {
    const before = focusedLabel(h.frame());
    await press(h, TAB, (f) => focusedLabel(f) !== before, 'the next field');
  }
  expect(focusedLabel(h.frame())).toBe(label);
}

describe('App: the Run form (R in the images list)', () => {
  test('R opens the form with the selected image, every field labelled, the name focused; placeholders say what each takes', async () => {
    const h = await mountImages();
    const form = await openForm(h);
    expect(fieldRow(form, 'image')).toContain('shop/web:1.0');
    for (const label of ['name', 'command', 'env -e', 'ports -p', 'volumes -v', 'network', 'restart', 'memory', 'cpus']) {
      expect(fieldRow(form, label), label).toBeDefined();
    }
    expect(focusedLabel(form)).toBe('name');
    expect(fieldRow(form, 'ports -p')).toContain('8080:80 53:53/udp');
    expect(fieldRow(form, 'restart')).toContain('no|always|unless-stopped|on-failure[:N]');
    expect(lines(form).at(-1)).toContain('Enter check');
  });

  test('Tab and ↓ go to the next field, Shift-Tab and ↑ back, wrapping around', async () => {
    const h = await mountImages();
    await openForm(h);
    await press(h, TAB, (f) => focusedLabel(f) === 'command', 'Tab: command');
    await press(h, '\u001B[B', (f) => focusedLabel(f) === 'env -e', '↓: env');
    await press(h, '\u001B[A', (f) => focusedLabel(f) === 'command', '↑: command');
    await press(h, '\u001B[Z', (f) => focusedLabel(f) === 'name', 'Shift-Tab: name');
    await press(h, '\u001B[Z', (f) => focusedLabel(f) === 'image', 'Shift-Tab: image');
    await press(h, '\u001B[Z', (f) => focusedLabel(f) === 'cpus', 'Shift-Tab wraps to cpus');
  });

  test('a bad field is named by its field on Enter, the focus goes to it, and nothing reaches the engine', async () => {
    const h = await mountImages();
    await openForm(h);
    await focus(h, 'ports -p');
    await type(h, 'ports -p', '8080:80 99999:80');
    await focus(h, 'memory');
    await type(h, 'memory', 'lots');
    const checked = await press(h, '\r', (f) => f.includes('is not a number from 1 to 65535'), 'the port error');
    expect(checked).toContain('--memory lots: expected a size such as 64m');
    expect(focusedLabel(checked)).toBe('ports -p');
    expect(checked).not.toContain('Run this?');
    await settle();
    expect(h.engine.containers.map((c) => c.name)).toEqual(['web']);
    // An edit takes the field's error away; the others stay until Enter.
    const edited = await press(h, BACKSPACE, (f) => !f.includes('65535'), 'the port error gone');
    expect(edited).toContain('--memory lots');
  });

  test('Enter shows the docker run line, quoted as a shell reads it; n goes back to the form as typed, Esc closes it', async () => {
    const h = await mountImages();
    await openForm(h);
    await type(h, 'name', 'api');
    await focus(h, 'command');
    await type(h, 'command', `sh -c 'echo $A; sleep 9'`);
    await focus(h, 'env -e');
    await type(h, 'env -e', 'A="hello world" B=2');
    await focus(h, 'restart');
    await type(h, 'restart', 'on-failure:3');
    const confirm = await press(h, '\r', (f) => f.includes('Run this?'), 'the confirm step');
    const shown = lines(confirm).map((line) => line.trimEnd()).join(' ');
    expect(shown).toContain(`docker run -d --name api -e 'A=hello world' -e B=2 --restart on-failure:3 shop/web:1.0 sh -c 'echo $A; sleep 9'`);
    expect(confirm).toContain('y run · n/Esc back to the form');
    const back = await press(h, 'n', (f) => f.includes('Run a container'), 'back to the form');
    expect(fieldRow(back, 'env -e')).toContain('A="hello world" B=2');
    await press(h, '\u001B', (f) => f.includes('REPOSITORY:TAG'), 'Esc closes the form');
    await settle();
    expect(h.engine.containers.map((c) => c.name)).toEqual(['web']);
  });

  test('y runs it: the containers list shows the new container selected, once the live list has it', async () => {
    const h = await mountImages();
    await openForm(h);
    await type(h, 'name', 'api');
    await focus(h, 'ports -p');
    await type(h, 'ports -p', '8080:80');
    await press(h, '\r', (f) => f.includes('Run this?'), 'the confirm step');
    const started = await press(h, 'y', (f) => statusLine(f).startsWith('Started api ('), 'started');
    expect(selectedName(started)).toBe('api');
    expect(started).toContain('Overview');
    const api = h.engine.find('api');
    expect(api?.state).toBe('running');
    expect(statusLine(started)).toContain(`(${api?.id.slice(0, 12)})`);
  });

  test('the new container is selected even where the list filter and hidden stopped ones would hide it', async () => {
    const h = await mountImages();
    await press(h, '1', (f) => f.includes('web'), 'the containers');
    await press(h, '/', (f) => statusLine(f).startsWith('/'), 'the filter box');
    h.stdin.write('nginx\r');
    await press(h, '2', (f) => f.includes('shop/web:1.0'), 'the images');
    await openForm(h);
    await type(h, 'name', 'api');
    await press(h, '\r', (f) => f.includes('Run this?'), 'the confirm step');
    const started = await press(h, 'y', hasSelected('api'), 'api selected');
    expect(statusLine(started)).toContain('(filter cleared)');
  });

  test('created but not started: the container is selected all the same, the engine\'s reason in the status line', async () => {
    const h = await mountImages({
      setup: (engine) => {
        engine.runContainer = async (spec) => {
          const row = engine.addContainer(makeContainer({ name: spec.name, state: 'created', status: 'Created' }));
          throw new ContainerStartError(row.id, 'failed to create task: exec: "nope": executable file not found');
        };
      },
    });
    await openForm(h);
    await type(h, 'name', 'broken');
    await press(h, '\r', (f) => f.includes('Run this?'), 'the confirm step');
    const failed = await press(h, 'y', hasSelected('broken'), 'broken selected');
    expect(statusLine(failed)).toMatch(/container [0-9a-f]{12} was created but did not start/);
  });

  test('a name in use: the form comes back with the engine\'s words, every field as typed', async () => {
    const h = await mountImages();
    await openForm(h);
    await type(h, 'name', 'web');
    await focus(h, 'memory');
    await type(h, 'memory', '64m');
    await press(h, '\r', (f) => f.includes('Run this?'), 'the confirm step');
    const refused = await press(h, 'y', (f) => f.includes('The engine refused'), 'the refusal');
    expect(lines(refused).join(' ')).toMatch(/The engine refused: Conflict\. The container name "\/web" is already in use/);
    expect(fieldRow(refused, 'name')).toContain('web');
    expect(fieldRow(refused, 'memory')).toContain('64m');
    expect(fieldRow(refused, 'image')).toContain('shop/web:1.0');
  });

  test('an image that is not here is pulled first, in the pull view, then run', async () => {
    const h = await mountImages();
    const form = await openForm(h);
    expect(fieldRow(form, 'image')).toContain('shop/web:1.0');
    await press(h, '\u001B[Z', (f) => focusedLabel(f) === 'image', 'the image field');
    h.stdin.write(BACKSPACE.repeat('shop/web:1.0'.length));
    await waitForFrame(h, (f) => fieldRow(f, 'image')?.includes('pulled first') === true, 'the image field empty');
    await type(h, 'image', 'busybox:1.36');
    await press(h, '\r', (f) => f.includes('docker run -d busybox:1.36'), 'the confirm step');
    const started = await press(h, 'y', (f) => statusLine(f).startsWith('Started '), 'started after the pull');
    expect(h.engine.images.some((i) => i.tags.includes('busybox:1.36'))).toBe(true);
    expect(h.engine.containers.find((c) => c.image === 'busybox:1.36')?.name).toBe(selectedName(started));
  });

  test('an image the registry does not have: the pull says why, and Esc shows the form as it was', async () => {
    const h = await mountImages();
    await openForm(h);
    await press(h, '\u001B[Z', (f) => focusedLabel(f) === 'image', 'the image field');
    h.stdin.write(BACKSPACE.repeat('shop/web:1.0'.length));
    await type(h, 'image', 'nothing/here');
    await press(h, '\r', (f) => f.includes('docker run -d nothing/here'), 'the confirm step');
    await press(h, 'y', (f) => f.includes('The pull failed'), 'the pull failed');
    const back = await press(h, '\u001B', (f) => f.includes('Run a container'), 'the form back');
    expect(lines(back).join(' ')).toContain('nothing/here is not here and was not pulled');
    expect(fieldRow(back, 'image')).toContain('nothing/here');
  });

  test('--read-only: R is refused with the standard words and no form opens', async () => {
    const h = await mountImages({ readOnly: true });
    const refused = await press(h, 'R', (f) => statusLine(f).includes('read-only: R (run a container)'), 'R refused');
    expect(statusLine(refused)).toContain('is off: dockhand was started with --read-only');
    expect(refused).not.toContain('Run a container');
  });

  test('control characters typed or pasted do not reach the screen', async () => {
    const h = await mountImages();
    await openForm(h);
    h.stdin.write('a\u001B[2Jb\u0007c\u202Ed');
    const frame = await waitForFrame(h, (f) => /name {2,}\S*d/.test(fieldRow(f, 'name') ?? ''), 'the name typed');
    expect(h.raw()).not.toContain('\u001B[2J');
    expect(fieldRow(frame, 'name')).not.toMatch(/[\u0000-\u001F\u202E]/);
  });

  test('40x12: every row within the width, the focused field on screen as Tab goes down the fields', async () => {
    const h = await mountImages({ size: { columns: 40, rows: 12 } });
    const form = await openForm(h);
    for (const line of lines(form)) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    for (const label of ['command', 'env -e', 'ports -p', 'volumes -v', 'network', 'restart', 'memory', 'cpus']) {
      const frame = await press(h, TAB, (f) => focusedLabel(f) === label, `${label} focused`);
      for (const line of lines(frame)) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    }
    await type(h, 'cpus', '1.5');
    const confirm = await press(h, '\r', (f) => f.includes('Run this?'), 'the confirm step');
    for (const line of lines(confirm)) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(lines(confirm).map((line) => line.trim()).join(' ')).toContain('docker run -d --cpus 1.5 shop/web:1.0');
  });
});
