// Hostile engine text (issue #10, point 3): names, labels, env values, commands, log lines and
// resource names full of escape sequences, bidi controls, wide, combining and zero-width
// characters and 1,000-character values, on every screen at 80x24, 40x12 and 200x50; and lists
// of 2,000 containers and 5,000 images. Whatever the engine says, the frame stays the terminal's
// size: no line wider than it (by string-width, which is how Ink places cells), no frame taller,
// nothing from the engine that a terminal would act on (SGR colours excepted: Ink draws with them
// and log lines keep theirs), no grapheme string-width counts as no column (Ink still gives it a
// cell, shifting the rest of its row), and the details pane's border in one column on every row.
import { describe, expect, test, vi } from 'vitest';
import stringWidth from 'string-width';
import { containerEvent, FAKE_ENGINE_INFO, makeContainer, makeImage, makeNetwork, makeVolume, type FakeEngine } from '../support/fake-engine.js';
import { makeNode } from '../support/fake-swarm.js';
import { lines, listSide, mountApp, settle, statusLine, waitForFrame, type Harness } from '../support/app-harness.js';
import { useChalkLevel } from '../support/chalk-level.js';
import { KILL_SIGNALS } from '../../src/views/Dialog.js';
import { calculateLayout } from '../../src/views/layout.js';
import type { LogLine } from '../../src/engine/log-stream.js';

/** How often dockhand's views measured text: the work a frame costs, counted rather than timed. */
const measured = vi.hoisted(() => ({ count: 0 }));
vi.mock('string-width', async (importOriginal) => {
  const actual = await importOriginal<typeof import('string-width')>();
  return {
    default: (text: string, options?: Parameters<typeof actual.default>[1]) => {
      measured.count += 1;
      return actual.default(text, options);
    },
  };
});

// Colours on, so that the selection (inverse video) can be read and SGR is among what reaches the screen.
useChalkLevel(1);

const ESC = '\u001B';
const THOUSAND = 'ab日🐳'.repeat(250);

/** One of each kind of trouble; every engine string below is made of them. */
const HOSTILE = [
  `${ESC}[2J${ESC}[H${ESC}[10;10Hcursor`,
  `${ESC}]0;pwned title\u0007osc ${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`,
  `bare${ESC} esc \u009B2J c1 \u0085 nel \u009D0;t\u009C ${ESC}c reset`,
  'bell\u0007 cr\r bs\b tab\t del\u007F nul\u0000',
  'مرحبا بالعالم שלום עולם',
  'evil\u202Egnp.exe \u2067isolated\u2069 \u200Fmark\u061C',
  '日本語のコンテナ名前',
  '🐳 👨‍👩‍👧‍👦 🇯🇵 ❤️ ☺︎ 👍🏽 1️⃣',
  'e\u0301 Z\u0351\u036B\u0343\u036A\u0302A\u0334L\u0360G\u0334O\u0335',
  '\u0301starts with a mark',
  'zero\u200Bwidth\u200D\uFEFF\u2060\u00AD\u115F',
  THOUSAND,
  'L'.repeat(1000),
] as const;

const hostile = (i: number) => HOSTILE[i % HOSTILE.length] ?? '';

// ---------------------------------------------------------------------------------------------
// What every frame must satisfy

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const SGR = /\u001B\[[0-9;]*m/g;
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Display columns of `line` before its first character `c`, or -1. */
function columnOf(line: string, c: string): number {
  const at = line.indexOf(c);
  return at < 0 ? -1 : stringWidth(line.slice(0, at));
}

function expectScreenSafe(h: Harness, size: { columns: number; rows: number }, where: string): void {
  const frame = h.frame();
  const shown = lines(frame);
  expect(shown.length, `${where}: frame taller than the terminal:\n${frame}`).toBeLessThanOrEqual(size.rows);
  for (const [n, line] of shown.entries()) {
    expect(stringWidth(line), `${where}: line ${n} wider than the terminal:\n${frame}`).toBeLessThanOrEqual(size.columns);
    for (const { segment } of graphemes.segment(line)) {
      expect(stringWidth(segment), `${where}: line ${n} has ${JSON.stringify(segment)}, which takes a cell but no column:\n${frame}`).toBeGreaterThan(0);
    }
  }
  const raw = h.raw().replace(SGR, '');
  const unsafe = UNSAFE.exec(raw);
  expect(unsafe && JSON.stringify(raw.slice(Math.max(0, unsafe.index - 40), unsafe.index + 40)), `${where}: a control character reached the terminal`).toBeNull();
  // A dialog is a whole box: every row inside its borders, none wrapped into the next.
  const top = shown.findIndex((line) => line.startsWith('╭'));
  if (top >= 0) {
    const bottom = shown.findIndex((line) => line.startsWith('╰'));
    const width = stringWidth(shown[top] ?? '');
    expect(bottom, `${where}: the dialog has no bottom border:\n${frame}`).toBeGreaterThan(top);
    for (const line of shown.slice(top + 1, bottom)) {
      expect(line.startsWith('│') && stringWidth(line.trimEnd()) === width && line.trimEnd().endsWith('│'), `${where}: a dialog row out of its box:\n${frame}`).toBe(true);
    }
    expect(shown[bottom - 1], `${where}: the dialog's last row is not its answer:\n${frame}`).toMatch(/ yes /);
  }
  // Beside the list, the pane's border is in the column the layout gives it on every row.
  const { listWidth, detailWidth } = calculateLayout(size.columns, size.rows);
  if (detailWidth > 0 && columnOf(shown[1] ?? '', '│') === listWidth) {
    for (const [n, line] of shown.entries()) {
      if (n === 0 || /^[│╭╰]/.test(line) || !line.includes('│')) continue;
      expect(columnOf(line, '│'), `${where}: line ${n} has the pane's border out of line:\n${frame}`).toBe(listWidth);
    }
  }
}

/** The list row in inverse video, as read (below the titles, left of the pane, whose tabs are inverse too). */
function selectedRow(h: Harness): string | undefined {
  const index = lines(h.raw()).findIndex((line, n) => n >= 2 && listSide(line).includes(`${ESC}[7m`));
  return index < 0 ? undefined : listSide(lines(h.frame())[index] ?? '');
}

/** The first line of the main pane's body: beside the list, after its border; full screen, under the tabs. */
function paneTop(frame: string): string {
  const line = lines(frame)[2] ?? '';
  return line.slice(line.indexOf('│') + 1).trim();
}

// ---------------------------------------------------------------------------------------------
// A hostile engine

function hostileLogs(): LogLine[] {
  return [
    ...HOSTILE.map((text) => ({ stream: 'stdout' as const, text })),
    { stream: 'stderr', text: `${ESC}[31mred stderr${ESC}[0m ${hostile(1)}` },
    { stream: 'stdout', text: `progress 10%\rprogress 100%${ESC}[K done` },
    { stream: 'stdout', text: 'the last line' },
  ];
}

function hostileContainers() {
  return HOSTILE.map((text, i) => makeContainer({
    name: `c${String(i).padStart(2, '0')}-${text}`,
    image: `img/${text}:${text}`,
    command: `sh -c '${text}'`,
    state: i % 4 === 3 ? 'exited' : 'running',
    ...(i === 3 ? { exitCode: 137 } : {}),
    status: `Up ${text}`,
    ports: [{ privatePort: 80, publicPort: 8080, ip: '0.0.0.0', type: 'tcp' }],
    labels: {
      [text]: text,
      long: 'L'.repeat(1000),
      ...(i < 4 ? { 'com.docker.compose.project': `p${i}-${text}`, 'com.docker.compose.service': text, 'com.docker.compose.project.working_dir': `/srv/${text}` } : {}),
    },
  }));
}

function populate(engine: FakeEngine, containers: ReturnType<typeof hostileContainers>): void {
  Object.defineProperty(engine, 'info', { value: { ...FAKE_ENGINE_INFO, serverVersion: hostile(0), product: hostile(7) } });
  for (const [i, container] of containers.entries()) {
    engine.setEnv(container.id, HOSTILE.map((text, j) => `${text}=${hostile(i + j)}`));
    engine.setLogs(container.id, hostileLogs());
  }
  engine.images.push(...HOSTILE.map((text) => makeImage({
    tags: [`repo/${text}:${text}`, `other/${text}:latest`],
    details: { labels: { [text]: text }, env: [`E=${text}`], cmd: [text], history: [{ id: '', created: 0, createdBy: text, size: 1, tags: [], comment: text }] },
  })));
  engine.volumes.push(...HOSTILE.map((text) => makeVolume({ name: `vol-${text}`, driver: text, labels: { [text]: text } })));
  engine.networks.push(...HOSTILE.map((text) => makeNetwork({ name: `net-${text}`, driver: text })));
  engine.swarm.init();
  for (const text of HOSTILE) {
    engine.swarm.addService({ name: `svc-${text}`, image: text, labels: { [text]: text } });
    engine.swarm.nodes.push(makeNode({ hostname: `node-${text}`, labels: { [text]: text }, statusMessage: text }));
  }
}

const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 40, rows: 12 },
  { columns: 200, rows: 50 },
] as const;

/** What the first line of each tab's body says, for the first container (running). */
const TAB_TOPS: Array<[tab: string, top: RegExp]> = [
  ['logs', /following/],
  ['stats', /^CPU/],
  ['inspect', /^\{/],
  ['env', /^PATH/],
  ['top', /^(UID|.* is not running)/],
  ['overview', /^Name/],
];

describe('hostile engine text on every screen', () => {
  for (const size of SIZES) {
    test(`${size.columns}x${size.rows}`, async () => {
      const containers = hostileContainers();
      const h = mountApp(containers, { size, setup: (engine) => populate(engine, containers) });
      const check = (where: string) => expectScreenSafe(h, size, where);
      // A deadline, not a measure: hostile frames are heavy, and the suite may share the machine.
      const step = async (key: string, until: (frame: string) => boolean, where: string) => {
        h.stdin.write(key);
        await waitForFrame(h, until, `${where} at ${size.columns}x${size.rows}`, 10_000);
        check(where);
      };
      const besideList = calculateLayout(size.columns, size.rows).detailWidth > 0;
      await waitForFrame(h, (f) => f.includes('live') && selectedRow(h) !== undefined, 'the list');
      check('containers');
      const nameOfSelected = () => selectedRow(h)?.replace('● ', '').trim().slice(0, 4);
      const first = nameOfSelected();

      // Every container selected in turn, on screen, its overview (or diagnosis) beside the list.
      for (let i = 1; i < containers.length; i++) {
        const before = selectedRow(h);
        await step('j', () => selectedRow(h) !== undefined && selectedRow(h) !== before, `container ${i}`);
      }
      await step('g', () => nameOfSelected() === first, 'back to the first container');

      // Every tab, beside the list and full screen, at its top and its end.
      for (const [tab, top] of TAB_TOPS) {
        if (besideList) await step(']', (f) => top.test(paneTop(f)), `${tab} beside the list`);
        else h.stdin.write(']');
        await step('\r', (f) => lines(f)[1]?.startsWith('NAME') === false && top.test(paneTop(f)), `${tab} full screen`);
        h.stdin.write('G');
        await settle(30);
        check(`${tab} full screen, at its end`);
        await step(ESC, (f) => lines(f)[1]?.startsWith('NAME') === true, `${tab} closed`);
      }

      // The confirmations, for one container and for three marked ones.
      await step('s', (f) => f.includes('Stop container'), 'stop dialog');
      await step(ESC, (f) => !f.includes('Stop container'), 'stop dialog closed');
      await step('K', (f) => f.includes('Send a signal') && KILL_SIGNALS.every((signal) => f.includes(signal)), 'kill dialog with every signal');
      await step(ESC, (f) => !f.includes('Send a signal'), 'kill dialog closed');
      // Its options on screen at every size (on a short terminal in fewer words).
      await step('d', (f) => f.includes('Remove container') && f.includes('[f] force') && f.includes('[v]'), 'remove dialog');
      await step(ESC, (f) => !f.includes('Remove container'), 'remove dialog closed');
      const marks = (f: string) => lines(f).slice(2).filter((line) => listSide(line).includes('● ')).length;
      await step('   ', (f) => marks(f) === 3, 'three marked');
      await step('d', (f) => f.includes('Remove 3 containers') && f.includes('[f] force') && f.includes('[v]'), 'remove dialog for three');
      await step(ESC, (f) => !f.includes('Remove 3'), 'remove dialog for three closed');
      // On a short terminal the names give way to the signals and options (the question counts the containers).
      await step('K', (f) => f.includes('Send a signal to 3 containers') && KILL_SIGNALS.every((signal) => f.includes(signal)), 'kill dialog for three with every signal');
      await step(ESC, (f) => !f.includes('Send a signal'), 'kill dialog for three closed');
      await step('g', (f) => marks(f) === 3 && nameOfSelected() === first, 'the marked rows in view');
      await step(ESC, (f) => marks(f) === 0, 'marks cleared');

      // The daemon's refusal in its own words, on the status line.
      h.engine.failNext(`refused: ${hostile(0)} ${hostile(2)} ${THOUSAND}`, 409);
      await step('r', (f) => statusLine(f).startsWith('restart '), 'a refusal');

      // The other lists: each row selected with its details, full screen, and a dialog.
      // Each with the key of its dialog, and the row to open it on (the first networks are predefined: no dialog).
      const lists: Array<[key: string, title: string, dialogKey: string | undefined, dialogRow: number]> = [
        ['2', 'REPOSITORY:TAG', 'd', 0], ['3', 'VOLUME NAME', 'd', 0], ['4', 'NETWORK', 'd', 2], ['5', 'PROJECT', 'd', 0],
        ['6', 'REPLICAS', 'd', 0], ['7', 'HOSTNAME', 'v', 0], ['8', 'EVENT', undefined, 0],
      ];
      // The engine's events carry the containers' names, images and labels.
      for (const container of containers) h.engine.emit(containerEvent('die', { ...container, labels: { ...container.labels, exitCode: hostile(2) } }));
      for (const [key, title, dialogKey, dialogRow] of lists) {
        await step(key, (f) => lines(f)[1]?.includes(title) === true && selectedRow(h) !== undefined, `list ${title}`);
        h.stdin.write('g');
        for (let i = 1; i <= 5; i++) {
          const before = selectedRow(h);
          await step('j', () => selectedRow(h) !== undefined && selectedRow(h) !== before, `list ${title}, row ${i} selected and on screen`);
        }
        await step('\r', (f) => !lines(f)[1]?.includes(title), `list ${title}: details full screen`);
        h.stdin.write('G');
        await settle(30);
        check(`list ${title}: details full screen, at the end`);
        await step(ESC, (f) => lines(f)[1]?.includes(title) === true, `list ${title}: back`);
        if (dialogKey) {
          h.stdin.write(`g${'j'.repeat(dialogRow)}`);
          await step(dialogKey, (f) => /╭/.test(f), `list ${title}: dialog`);
          await step(ESC, (f) => !/╭/.test(f), `list ${title}: dialog closed`);
        }
      }

      // Disk usage and a prune preview naming every image.
      await step('D', (f) => f.includes('Images'), 'disk usage');
      await step('p', (f) => f.includes('Prune images'), 'prune preview');
      await step('a', (f) => f.includes('repo/'), 'prune preview of every unused image');
      await step(ESC, (f) => !f.includes('repo/'), 'prune preview closed');
      await step(ESC, (f) => lines(f)[1]?.includes('EVENT') === true, 'disk usage closed');

      // The engine gone, for a reason of its own.
      h.engine.disconnect(`connect: ${hostile(0)} ${hostile(5)} ${hostile(7)}`);
      await waitForFrame(h, (f) => lines(f)[0]?.includes('reconnecting') === true, 'reconnecting');
      check('reconnecting');
      h.engine.reconnect();
    }, 120_000);
  }
});

describe('hostile engine text at scale', () => {
  const SIZE = { columns: 80, rows: 24 };

  /**
   * On a list of `count` rows named `rowName(i)` from the first: moving one row measures text for
   * the rows on screen only (the rows are stopped containers, or images: no stats redraw them, so
   * that is one key's frames; a list drawn whole would measure every row), G selects the last row
   * and shows it, and / narrows the list to one row. Every frame within bounds.
   */
  async function expectLongList(h: Harness, count: number, rowName: (i: number) => string): Promise<void> {
    expectScreenSafe(h, SIZE, `${count} rows`);
    const before = measured.count;
    h.stdin.write('j');
    await waitForFrame(h, () => selectedRow(h)?.includes(rowName(1)) === true, 'the next row');
    expect(measured.count - before).toBeLessThan(SIZE.columns * SIZE.rows);

    h.stdin.write('G');
    await waitForFrame(h, () => selectedRow(h)?.includes(rowName(count - 1)) === true, 'G: the last row selected and on screen');
    expectScreenSafe(h, SIZE, `${count} rows, at the end`);

    const one = rowName(Math.floor(count * 0.6) + 7);
    h.stdin.write(`/${one}\r`);
    await waitForFrame(h, (f) => f.includes(`filter: ${one}`) && selectedRow(h)?.includes(one) === true, 'the filter');
    expect(lines(h.frame()).slice(2, -2).map(listSide).filter((line) => line.trim() !== '')).toHaveLength(1);
    expectScreenSafe(h, SIZE, `${count} rows, filtered`);
  }

  const numbered = (prefix: string) => (i: number) => `${prefix}-${String(i).padStart(4, '0')}`;

  test('2,000 containers: the list renders, G reaches the end with the selection on screen, / filters; a frame measures what is on screen only', async () => {
    const name = numbered('ct');
    const h = mountApp(Array.from({ length: 2000 }, (_, i) => makeContainer({
      // Every hundredth has a hostile name, a fiftieth a hostile image; the filter's is one of them.
      name: `${name(i)}${i % 100 === 7 ? `-${hostile(i)}` : ''}`,
      image: i % 50 === 0 ? `img/${hostile(i)}` : 'busybox',
      state: 'exited',
      labels: { note: hostile(i) },
    })), { size: SIZE });
    await waitForFrame(h, (f) => f.includes(name(0)) && f.includes('live'), 'the list');
    await expectLongList(h, 2000, name);
  }, 60_000);

  test('5,000 images: the list renders, G reaches the end with the selection on screen, / filters; a frame measures what is on screen only', async () => {
    const name = numbered('im');
    const h = mountApp([makeContainer({ name: 'web' })], {
      size: SIZE,
      setup: (engine) => {
        engine.images = Array.from({ length: 5000 }, (_, i) => makeImage({
          tags: [`${name(i)}/${i % 100 === 7 ? hostile(i) : 'app'}:1`],
          created: 1_700_000_000 - i,
        }));
      },
    });
    await waitForFrame(h, (f) => f.includes('live'), 'the containers');
    h.stdin.write('2');
    await waitForFrame(h, (f) => f.includes('5000 images') && f.includes(name(0)), 'the images list');
    await expectLongList(h, 5000, name);
  }, 60_000);
});
