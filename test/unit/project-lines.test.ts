// What the projects view says, as plain lines: a project's details, command lines, the output
// pane's screen and the report of a group action.
import { describe, expect, it } from 'vitest';
import { COMPOSE_LABELS, composeProjects, type CommandOutput } from '../../src/engine/compose.js';
import type { ContainerRow } from '../../src/engine/types.js';
import { COMMAND_WORDS, commandLineText, composeBlocker, groupReportText, outputScreen, projectLines, type CliLookup } from '../../src/views/project-lines.js';
import { makeContainer } from '../support/fake-engine.js';

function replica(service: string, number: number, partial: Partial<ContainerRow> = {}, oneoff = false): ContainerRow {
  return makeContainer({
    name: oneoff ? `shop_${service}_run_${number}` : `shop-${service}-${number}`,
    ...partial,
    labels: {
      [COMPOSE_LABELS.project]: 'shop',
      [COMPOSE_LABELS.service]: service,
      [COMPOSE_LABELS.containerNumber]: String(number),
      [COMPOSE_LABELS.oneoff]: oneoff ? 'True' : 'False',
      [COMPOSE_LABELS.workingDir]: '/srv/shop',
      [COMPOSE_LABELS.configFiles]: '/srv/shop/docker-compose.yml,/srv/shop/override.yml',
    },
  });
}

const [shop] = composeProjects([
  replica('web', 2), replica('web', 1),
  replica('db', 1, { state: 'exited', exitCode: 1 }),
  replica('web', 1, { state: 'exited', exitCode: 0 }, true),
]);
const found: CliLookup = { status: 'found', cli: { kind: 'standalone', path: '/usr/bin/docker-compose' } };
const texts = (lines: ReadonlyArray<{ label?: string; text: string }>) => lines.map((l) => (l.label ? `${l.label}: ${l.text}` : l.text));

describe('projectLines', () => {
  it('shows the project, its files and every service with every replica, one-offs marked', () => {
    const lines = projectLines(shop!, { lookup: found, filesProblem: undefined });
    expect(texts(lines)).toEqual([
      'Project: shop',
      'Running: 2/3 replicas, 1 not running',
      'Dir: /srv/shop',
      'Config: /srv/shop/docker-compose.yml',
      '/srv/shop/override.yml',
      'Compose: /usr/bin/docker-compose',
      '',
      'Services: 2',
      'db  0/1 running',
      '  db-1  exited (1)',
      'web  2/2 running',
      '  web-1  running',
      '  web-2  running',
      '  web_run_1  one-off, exited (0)',
    ]);
    expect(lines.find((l) => l.text.includes('db-1'))?.tone).toBe('error');
  });

  it('says plainly when compose is not on PATH or the files are not on this machine', () => {
    const missing = texts(projectLines(shop!, { lookup: { status: 'missing' }, filesProblem: 'config file /srv/shop/override.yml not found on this machine' }));
    expect(missing).toContain('Compose: docker compose not found on PATH (nor docker-compose): install the compose plugin or docker-compose');
    expect(missing).toContain('Files: compose cannot run: config file /srv/shop/override.yml not found on this machine');
  });

  it('marks the service whose row is selected', () => {
    expect(texts(projectLines(shop!, { lookup: found, filesProblem: undefined }, 'web'))).toContain('▸ web  2/2 running');
  });

  it('composeBlocker: the missing CLI first, then the files', () => {
    expect(composeBlocker({ status: 'missing' }, 'config file x not found on this machine')).toMatch(/^docker compose not found on PATH/);
    expect(composeBlocker(found, 'config file x not found on this machine')).toBe('config file x not found on this machine');
    expect(composeBlocker(found, undefined)).toBeUndefined();
  });
});

describe('commandLineText', () => {
  it('quotes only what a shell would read otherwise, so the line can be pasted', () => {
    expect(commandLineText(['docker-compose', '--project-name', 'shop', '-f', '/srv/my app/compose.yml', 'up', '-d'])).toBe(
      "docker-compose --project-name shop -f '/srv/my app/compose.yml' up -d",
    );
    expect(commandLineText(['echo', "it's $(x)"])).toBe(`echo 'it'\\''s $(x)'`);
  });
});

describe('outputScreen', () => {
  const output = (lines: string[], extra: Partial<CommandOutput> = {}): CommandOutput => ({ lines, dropped: 0, outcome: undefined, version: 1, ...extra });
  const argv = ['docker-compose', '--project-name', 'shop', 'up', '-d'];
  const many = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);

  it('follows the end while it runs, with the command line on top and how to cancel below', () => {
    const screen = outputScreen({ argv, output: output(many), words: COMMAND_WORDS, offset: undefined, cancelling: false, width: 80, height: 10 });
    expect(texts(screen.header)).toEqual(['$ docker-compose --project-name shop up -d']);
    expect(screen.rows).toBe(8);
    expect(texts(screen.body)).toEqual(many.slice(-8));
    expect(screen.status).toEqual({ text: 'running… · Esc cancels (SIGINT)', tone: 'warning' });
  });

  it('stays where it was scrolled to, and says how it ended', () => {
    const screen = outputScreen({ argv, output: output(many, { outcome: { status: 'exited', exitCode: 0 } }), words: COMMAND_WORDS, offset: 3, cancelling: false, width: 80, height: 10 });
    expect(texts(screen.body)[0]).toBe('line 4');
    expect(screen.status).toEqual({ text: 'exit 0 · Esc closes', tone: 'ok' });
    const failed = outputScreen({ argv, output: output([], { outcome: { status: 'exited', exitCode: 1 } }), words: COMMAND_WORDS, offset: undefined, cancelling: false, width: 80, height: 10 });
    expect(failed.status.tone).toBe('error');
    const killed = outputScreen({ argv, output: output([], { outcome: { status: 'killed', signal: 'SIGINT' } }), words: COMMAND_WORDS, offset: undefined, cancelling: true, width: 80, height: 10 });
    expect(killed.status.text).toBe('ended by SIGINT · Esc closes');
  });

  it('wraps long lines and the command line to the width, and says how many lines were let go', () => {
    const screen = outputScreen({ argv: ['x'.repeat(30), 'y'.repeat(30)], output: output(['a'.repeat(50)], { dropped: 7 }), words: COMMAND_WORDS, offset: 0, cancelling: false, width: 40, height: 10 });
    expect(screen.header).toHaveLength(2);
    expect(texts(screen.body)).toEqual(['(7 earlier lines not kept)', 'a'.repeat(40), 'a'.repeat(10)]);
  });
});

describe('groupReportText', () => {
  const target = (name: string) => ({ id: name, name });

  it('counts what was done', () => {
    expect(groupReportText({ action: 'stop', done: [target('a'), target('b')], gone: [], failed: [] }, 'project shop'))
      .toEqual({ text: 'project shop: stopped 2 containers', tone: 'info' });
  });

  it('names every failure in the daemon’s words', () => {
    expect(groupReportText({
      action: 'remove', done: [target('a')], gone: [target('c')],
      failed: [{ ...target('b'), message: 'You cannot remove a running container b' }],
    }, 'service web of shop')).toEqual({
      text: 'service web of shop: removed 1 of 3 (1 already gone); b: You cannot remove a running container b',
      tone: 'error',
    });
  });
});
