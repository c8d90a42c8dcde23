// A shell in a container (E) and attach (a): the real binary in tmux, the terminal handed to the
// docker CLI and given back. Also the CLI invocation alone against a TLS engine, reached through
// a context, DOCKER_HOST + DOCKER_TLS_VERIFY, and DOCKER_TLS without verification.
import { beforeAll, describe, expect, it } from 'vitest';
import { dockerCliArgs, execShellArgs, findDockerCli } from '../../src/engine/docker-cli.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { inspect, runContainer } from '../support/docker.js';
import { filterTo, startDockhand as startDockhandAt, startOn as startOnAt, uniqueName, useRealEngineAndTerminal, type DockhandOptions } from '../support/dockhand.js';
import { useTlsEngineWithContainer } from '../support/tls-engine.js';
import { TmuxSession } from '../support/tmux.js';

/** The shell tests want a terminal wider than the default: 100 columns. */
const startDockhand = (opts: DockhandOptions = {}) => startDockhandAt({ cols: 100, ...opts });
const startOn = (name: string) => startOnAt(name, { cols: 100 });

/** A line that is exactly `text`: the shell's output, not the echo of the command that printed it. */
const outputLine = (text: string) => new RegExp(`^${text}\\s*$`, 'm');

/** busybox sh's prompt as root (PS1 '\w \$ '). */
const PROMPT = /^\/ #/m;

/** The dashboard, whole: header, the container's row, the key hints; no trace of the shell. */
async function expectDashboardBack(session: TmuxSession, name: string) {
  const screen = await session.waitForText(/● live/, { timeoutMs: 5000 });
  await session.waitForText(name);
  const lines = await session.captureLines();
  expect(lines[0]).toContain('● live');
  expect(lines.some((line) => line.includes(name))).toBe(true);
  expect(lines.at(-1)).toMatch(/\? help/);
  expect(screen).not.toMatch(PROMPT);
}

/** dockhand is still running a moment later: no key typed in the shell reached it (q would quit). */
async function expectStillRunning(session: TmuxSession) {
  await expect(session.waitForExit({ timeoutMs: 700 })).rejects.toThrow(/Timed out/);
  const screen = await session.capture();
  expect(screen).not.toContain('Stop container');
  expect(screen).not.toContain('Kill container');
}

useRealEngineAndTerminal();

describe('E: a shell in the selected container', () => {
  it('opens a shell, keeps typed keys away from dockhand, and brings the dashboard back intact', async () => {
    const { id, name } = await runContainer({ name: uniqueName('sh') });
    const session = await startOn(name);
    // The shell opens from any tab: go to Env first, as a user looking around would.
    await session.type(']]]]');
    await session.waitForText('PATH');
    await session.type('E');
    await session.waitForText(`shell in ${name}`);
    await session.waitForText(PROMPT);

    await session.type('echo hi-from-shell');
    await session.sendKeys('Enter');
    await session.waitForText(outputLine('hi-from-shell'));
    // Every one of these is a dockhand key (quit, stop, remove, kill, hide stopped): none may act.
    await session.type(': q s d K e; exit');
    await session.sendKeys('Enter');

    await expectDashboardBack(session, name);
    await expectStillRunning(session);
    expect((await inspect(id)).State.Running).toBe(true);
    // Keys reach dockhand again.
    await session.type('q');
    expect(await session.waitForExit()).toBe(0);
    // The shell ran on the normal screen, which is what is left once dockhand has gone.
    expect(await session.capture()).toMatch(outputLine('hi-from-shell'));
  });

  it('says a stopped container is not running instead of trying', async () => {
    const { name } = await runContainer({ name: uniqueName('stopped'), cmd: ['true'], detach: false });
    const session = await startOn(name);
    await session.type('E');
    await session.waitForText(`${name} is not running: start it first (S)`);
    expect(await session.capture()).toContain('● live');
  });
});

describe('a: attach to the selected container', () => {
  it('attaches to a container started with -it, detaches with ctrl-p ctrl-q and leaves it running', async () => {
    const { id, name } = await runContainer({ name: uniqueName('it'), args: ['-i', '-t'], cmd: ['sh'] });
    const session = await startOn(name);
    await session.type('a');
    await session.waitForText(`attached to ${name}`);
    // Attached to a shell that is already waiting: Enter makes it prompt again.
    await session.sendKeys('Enter');
    await session.waitForText(PROMPT);
    await session.type('echo hi-from-attach');
    await session.sendKeys('Enter');
    await session.waitForText(outputLine('hi-from-attach'));

    await session.sendKeys('C-p', 'C-q');
    await expectDashboardBack(session, name);
    await session.waitForText(`detached from ${name}`);
    await expectStillRunning(session);
    expect((await inspect(id)).State.Running).toBe(true);
  });

  it('says a container without an open stdin has nothing to attach to', async () => {
    const { name } = await runContainer({ name: uniqueName('nostdin') });
    const session = await startOn(name);
    await session.type('a');
    await session.waitForText(`${name} has no open stdin to attach to`);
  });
});

describe('the docker CLI reaches the engine dockhand uses (a TLS engine)', () => {
  const fixture = useTlsEngineWithContainer();
  let cli: string;

  beforeAll(() => {
    const found = findDockerCli();
    if (!found) throw new Error('no docker CLI on PATH: run `bash scripts/engine.sh`');
    cli = found;
  });

  /**
   * What would send the CLI elsewhere if it got through: the default engine (where `name` does not
   * exist), and verification against a CA the no-verify case does not have.
   */
  const DECOYS = { DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_CONTEXT: 'default', DOCKER_TLS_VERIFY: '1' };
  /** The pane inherits the runner's environment; the CLI must see only what dockerCliArgs kept. */
  const SCRUBBED = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS'].flatMap((key) => ['-u', key]);

  /** Runs `docker ARGS exec -it NAME sh…` in a terminal and checks the shell is in `name`, on the TLS engine. */
  async function shellThrough(env: Record<string, string>, flags: { context?: string } = {}) {
    const endpoint = resolveEndpoint({ ...flags, env, homeDir: '/nonexistent' });
    const invocation = dockerCliArgs(endpoint, { ...process.env, ...env, ...DECOYS });
    for (const key of Object.keys(DECOYS)) expect(invocation.env).not.toHaveProperty(key);
    const command = ['env', ...SCRUBBED, cli, ...invocation.args, ...execShellArgs(fixture.name())];
    const session = await TmuxSession.start({ command, env: invocation.env });
    await session.waitForText(PROMPT, { timeoutMs: 10_000 });
    await session.type('echo $((6*7))-in-tls; exit');
    await session.sendKeys('Enter');
    expect(await session.waitForExit({ timeoutMs: 10_000 })).toBe(0);
    const screen = await session.capture();
    expect(screen).toMatch(outputLine('42-in-tls'));
    return endpoint;
  }

  it('through a context (--context NAME, DOCKER_CONFIG kept)', async () => {
    const endpoint = await shellThrough({ DOCKER_CONFIG: fixture.tls().configDir }, { context: 'secure' });
    expect(endpoint.contextName).toBe('secure');
  });

  it('through DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH (-H with --tlsverify and the files)', async () => {
    const tls = fixture.tls();
    const { certs } = tls;
    const certPath = certs.certPath('verify', { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });
    const endpoint = await shellThrough({ DOCKER_HOST: tls.tcpHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath });
    expect(endpoint.tls?.verify).toBe(true);
  });

  it('through DOCKER_TLS without verification (--tls with the client certificate)', async () => {
    const tls = fixture.tls();
    const { certs } = tls;
    const certPath = certs.certPath('noverify', { cert: certs.clientCert, key: certs.clientKey });
    const endpoint = await shellThrough({ DOCKER_HOST: tls.tcpHost, DOCKER_TLS: '1', DOCKER_CERT_PATH: certPath });
    expect(endpoint.tls?.verify).toBe(false);
  });

  it('E in dockhand started with --context opens the shell on that engine', async () => {
    const name = fixture.name();
    const session = await startDockhand({ args: ['--context', 'secure'], env: { DOCKER_CONFIG: fixture.tls().configDir } });
    await session.waitForText(name, { timeoutMs: 10_000 });
    await filterTo(session, name);
    await session.type('E');
    await session.waitForText(PROMPT, { timeoutMs: 10_000 });
    await session.type('echo $((6*7))-in-tls; exit');
    await session.sendKeys('Enter');
    await expectDashboardBack(session, name);
    await session.type('q');
    expect(await session.waitForExit()).toBe(0);
    expect(await session.capture()).toMatch(outputLine('42-in-tls'));
  });
});
