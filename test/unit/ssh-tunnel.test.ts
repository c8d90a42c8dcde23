import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHostUrl } from '../../src/engine/endpoint.js';
import { explainSshOutput, sshExitFailure, sshProgram, SshTunnel, SshTunnelError, sshTunnelArgs } from '../../src/engine/ssh-tunnel.js';
import type { Endpoint } from '../../src/engine/types.js';
import { waitFor } from '../support/docker.js';

function ssh(url: string): Endpoint {
  return { ...parseHostUrl(url), contextName: 'default', source: 'DOCKER_HOST' };
}

const BUILD = ssh('ssh://deploy@build.example.com:2222');
const LOCAL = '/tmp/dockhand-ssh-x/docker.sock';

describe('sshTunnelArgs', () => {
  it('forwards a local socket to the default remote socket, user and port as the URL writes them', () => {
    expect(sshTunnelArgs(BUILD, LOCAL)).toEqual([
      '-nNT',
      '-o', 'ExitOnForwardFailure=yes',
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=10',
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=3',
      '-L', `${LOCAL}:/var/run/docker.sock`,
      '-l', 'deploy',
      '-p', '2222',
      '--', 'build.example.com',
    ]);
  });

  // The endpoint says port 22 for display; ssh must still be free to take ~/.ssh/config's Port and User.
  it('leaves out the user and the port the URL does not name', () => {
    const args = sshTunnelArgs(ssh('ssh://build'), LOCAL);
    expect(args).not.toContain('-l');
    expect(args).not.toContain('-p');
    expect(args.slice(-2)).toEqual(['--', 'build']);
  });

  it('forwards to the socket the URL names, and passes an IPv6 host bare', () => {
    const args = sshTunnelArgs(ssh('ssh://[::1]:22/run/user/1000/docker.sock'), LOCAL);
    expect(args).toContain(`${LOCAL}:/run/user/1000/docker.sock`);
    expect(args.slice(-4)).toEqual(['-p', '22', '--', '::1']);
  });

  it('ends the options before the host, so a host can never be read as one', () => {
    const args = sshTunnelArgs(ssh('ssh://-oProxyCommand=x'), LOCAL);
    expect(args.slice(-2)).toEqual(['--', '-oProxyCommand=x']);
  });
});

describe('sshProgram', () => {
  it('is ssh from PATH unless DOCKHAND_SSH names another', () => {
    expect(sshProgram({})).toBe('ssh');
    expect(sshProgram({ DOCKHAND_SSH: '' })).toBe('ssh');
    expect(sshProgram({ DOCKHAND_SSH: '/opt/bin/my-ssh' })).toBe('/opt/bin/my-ssh');
  });
});

// ssh's own words, as OpenSSH 9.2 prints them.
describe('explainSshOutput', () => {
  it('names the changed host key, where it is stored, and ssh\'s own removal command', () => {
    const stderr = [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      'Add correct host key in /home/me/.ssh/known_hosts to get rid of this message.',
      'Offending ED25519 key in /home/me/.ssh/known_hosts:7',
      '  remove with:',
      '  ssh-keygen -f "/home/me/.ssh/known_hosts" -R "[build.example.com]:2222"',
      'Host key for [build.example.com]:2222 has changed and you have requested strict checking.',
      'Host key verification failed.',
    ].join('\n');
    const error = explainSshOutput(stderr, BUILD);
    expect(error?.reason).toBe('the host key of build.example.com:2222 has changed: it is not the one in /home/me/.ssh/known_hosts:7');
    expect(error?.fix).toContain('someone may be intercepting the connection');
    expect(error?.fix).toContain('(ssh-keygen -f "/home/me/.ssh/known_hosts" -R "[build.example.com]:2222")');
    expect(error?.fix).toContain('`ssh -p 2222 deploy@build.example.com`');
    expect(error?.fix).toContain('dockhand never accepts a host key by itself');
  });

  it('says how to add a host that is not in known_hosts, never adding it itself', () => {
    for (const stderr of [
      'No ED25519 host key is known for [build.example.com]:2222 and you have requested strict checking.\nHost key verification failed.',
      'Host key verification failed.',
    ]) {
      const error = explainSshOutput(stderr, BUILD);
      expect(error?.reason).toBe('build.example.com:2222 is not in known_hosts, and dockhand never accepts a host key by itself');
      expect(error?.fix).toBe(
        'connect once with `ssh -p 2222 deploy@build.example.com` and check the fingerprint it shows, or add the key with `ssh-keyscan -p 2222 build.example.com >> ~/.ssh/known_hosts` after checking it',
      );
    }
  });

  it('says the login was refused, for whom, and what the agent and authorized_keys have to do with it', () => {
    const error = explainSshOutput('deploy@build.example.com: Permission denied (publickey,password).', BUILD);
    expect(error?.reason).toBe('build.example.com:2222 refused the login of deploy (it accepts: publickey,password)');
    expect(error?.fix).toBe(
      'dockhand runs ssh without prompts: load your key into the agent (ssh-add) or name it with IdentityFile in ~/.ssh/config, and put its public key in ~deploy/.ssh/authorized_keys on build.example.com',
    );
  });

  it('names the host that does not resolve, refuses, or does not answer', () => {
    expect(explainSshOutput('ssh: Could not resolve hostname biuld: Name or service not known', ssh('ssh://biuld'))?.reason)
      .toBe('the host name biuld cannot be resolved (Name or service not known)');
    expect(explainSshOutput('ssh: connect to host 10.0.0.5 port 2222: Connection refused', BUILD)?.reason)
      .toBe('connection refused by 10.0.0.5:2222: no ssh server listens there');
    expect(explainSshOutput('ssh: connect to host 10.0.0.5 port 22: Connection timed out', ssh('ssh://10.0.0.5'))?.reason)
      .toBe('no answer from 10.0.0.5 within 10 s');
    expect(explainSshOutput('Connection timed out during banner exchange', BUILD)?.reason)
      .toBe('no answer from build.example.com:2222 within 10 s');
    expect(explainSshOutput('ssh: connect to host 10.0.0.5 port 22: No route to host', BUILD)?.reason)
      .toBe('build.example.com:2222 is unreachable (No route to host)');
  });

  it('says there is no engine at the remote socket when the host refuses the channel', () => {
    const error = explainSshOutput('channel 1: open failed: connect failed: open failed', BUILD);
    expect(error?.reason).toBe(
      'no Docker engine at /var/run/docker.sock on build.example.com (is Docker installed and running? is deploy in the docker group?)',
    );
    expect(error?.fix).toBe(
      'start Docker there (sudo systemctl start docker), add deploy to the docker group (sudo usermod -aG docker deploy), or name the engine\'s socket in the URL: ssh://deploy@build.example.com:2222/path/to/docker.sock',
    );
    expect(explainSshOutput('channel 3: open failed: connect failed: open failed', ssh('ssh://build/run/podman/podman.sock'))?.reason)
      .toBe('no Docker engine at /run/podman/podman.sock on build (is Docker installed and running? is your user in the docker group?)');
  });

  it('says the server forbids forwarding to a socket', () => {
    const error = explainSshOutput('channel 2: open failed: administratively prohibited: open failed', BUILD);
    expect(error?.reason).toBe('the ssh server on build.example.com does not allow forwarding to /var/run/docker.sock');
    expect(error?.fix).toContain('AllowStreamLocalForwarding yes');
  });

  it('says the connection was lost, and that dockhand comes back by itself', () => {
    const error = explainSshOutput('Connection to build.example.com closed by remote host.', BUILD);
    expect(error?.reason).toBe('the ssh connection to build.example.com:2222 was lost (Connection to build.example.com closed by remote host.)');
    expect(error?.fix).toBe('dockhand reconnects when build.example.com:2222 answers again');
  });

  it('recognises nothing in a warning', () => {
    expect(explainSshOutput("Warning: Permanently added '[build.example.com]:2222' (ED25519) to the list of known hosts.", BUILD)).toBeUndefined();
  });
});

describe('sshExitFailure', () => {
  it('quotes ssh\'s last line when it is none of the known failures', () => {
    const error = sshExitFailure('/home/me/.ssh/config: line 3: Bad configuration option: hostnmae\n/home/me/.ssh/config: terminating, 1 bad configuration options\n', BUILD, 'exited with status 255');
    expect(error).toBeInstanceOf(SshTunnelError);
    expect(error.reason).toBe('ssh to build.example.com:2222 exited with status 255: /home/me/.ssh/config: terminating, 1 bad configuration options');
    expect(error.fix).toBe('run `ssh -p 2222 deploy@build.example.com` to see what ssh says, and check ~/.ssh/config');
  });

  it('gives the exit status alone when ssh said nothing', () => {
    expect(sshExitFailure('', BUILD, 'was ended by SIGKILL').reason).toBe('ssh to build.example.com:2222 was ended by SIGKILL');
  });
});

/**
 * A stand-in for ssh: listens on the -L socket as ssh would once logged in, and writes its pid
 * to a file; with `deny` in its mode file it fails the way a refused login does.
 */
const FAKE_SSH = `#!/usr/bin/env node
const { createServer } = require('node:net');
const { readFileSync, writeFileSync } = require('node:fs');
const dir = __dirname;
writeFileSync(dir + '/pid', String(process.pid));
if (readFileSync(dir + '/mode', 'utf8') === 'deny') {
  process.stderr.write('me@fake: Permission denied (publickey).\\n');
  process.exit(255);
}
const forward = process.argv[process.argv.indexOf('-L') + 1];
createServer((socket) => socket.end()).listen(forward.slice(0, forward.indexOf(':')));
`;

describe('SshTunnel', () => {
  let dir: string;
  let tunnel: SshTunnel | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dh-fake-ssh-'));
    writeFileSync(join(dir, 'fake-ssh.cjs'), FAKE_SSH);
    chmodSync(join(dir, 'fake-ssh.cjs'), 0o755);
    writeFileSync(join(dir, 'mode'), 'listen');
  });

  afterEach(() => {
    tunnel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => (tunnel = new SshTunnel(ssh('ssh://me@fake'), { DOCKHAND_SSH: join(dir, 'fake-ssh.cjs') }));
  const sshPid = () => Number(readFileSync(join(dir, 'pid'), 'utf8'));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('rejects with ssh\'s reason when ssh exits before the forward is up', async () => {
    writeFileSync(join(dir, 'mode'), 'deny');
    const error = await open().ensure().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SshTunnelError);
    expect((error as SshTunnelError).reason).toBe('fake refused the login of me (it accepts: publickey)');
  });

  it('answers with the failure, without running ssh again, for a second after a failed start', async () => {
    writeFileSync(join(dir, 'mode'), 'deny');
    const tunnelled = open();
    const first = await tunnelled.ensure().then(() => undefined, (e: unknown) => e);
    const pid = sshPid();
    const again = await tunnelled.ensure().then(() => undefined, (e: unknown) => e);
    expect(again).toBe(first);
    expect(sshPid()).toBe(pid);
  });

  it('starts ssh again after it died, and keeps why it died', async () => {
    const tunnelled = open();
    await tunnelled.ensure();
    const first = sshPid();
    process.kill(first, 'SIGKILL');
    await waitFor(() => tunnelled.lastExit, { message: 'the death of ssh noticed' });
    expect(tunnelled.lastExit?.reason).toBe('ssh to fake was ended by SIGKILL');
    await tunnelled.ensure();
    expect(sshPid()).not.toBe(first);
    expect(alive(sshPid())).toBe(true);
  });

  it('kills ssh and removes its private directory on close', async () => {
    const tunnelled = open();
    await tunnelled.ensure();
    const pid = sshPid();
    expect(existsSync(tunnelled.socketPath)).toBe(true);
    tunnelled.close();
    expect(existsSync(join(tunnelled.socketPath, '..'))).toBe(false);
    await waitFor(() => !alive(pid), { message: 'ssh gone after close' });
    await expect(tunnelled.ensure()).rejects.toThrow(/closed/);
  });
});
