import { useRef } from 'react';
import { useStdin, useStdout } from 'ink';
import type { ContainerSource } from '../engine/container-store.js';
import { attachArgs, cliSessionOutcome, dockerCliArgs, dockerCliMissing, execShellArgs, findDockerCli } from '../engine/docker-cli.js';
import type { Engine } from '../engine/engine.js';
import { containerAddress } from '../engine/fleet.js';
import { toEngineError } from '../engine/errors.js';
import type { ContainerRow } from '../engine/types.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { handOverTerminal } from './terminal-handover.js';

/** E and a: a shell in, or an attach to, the selected container, with the terminal handed over. */
export function useTerminalHandover(engine: Engine, store: ContainerSource, setStatus: (status: StatusMessage) => void) {
  const { stdin, setRawMode } = useStdin();
  const { stdout } = useStdout();
  /** True while a shell or attach has the terminal: no key is the dashboard's (terminal-handover.ts). */
  const handedOver = useRef(false);

  /** E and a: the docker CLI gets the terminal, on the engine dockhand uses; the dashboard comes back refreshed. */
  const handOver = async (target: ContainerRow, kind: 'shell' | 'attach') => {
    if (handedOver.current) return;
    if (target.state !== 'running') {
      const text = target.state === 'paused'
        ? `${target.name} is paused: unpause it first (p)`
        : `${target.name} is not running: start it first (S)`;
      setStatus({ text, tone: 'info' });
      return;
    }
    const cli = findDockerCli();
    if (!cli) {
      setStatus({ text: dockerCliMissing(kind), tone: 'error' });
      return;
    }
    handedOver.current = true;
    try {
      if (kind === 'attach' && !(await engine.inspectContainer(target.id)).openStdin) {
        setStatus({ text: `${target.name} has no open stdin to attach to`, tone: 'info' });
        return;
      }
      // In a fleet, the host the container lives on and the id that engine knows it by.
      const address = containerAddress(engine, target.id);
      const { args, env } = dockerCliArgs(address.endpoint);
      const result = await handOverTerminal({
        command: cli,
        args: [...args, ...(kind === 'shell' ? execShellArgs(address.id) : attachArgs(address.id))],
        env,
        stdin,
        stdout,
        setRawMode,
        banner: kind === 'shell'
          ? `dockhand: shell in ${target.name} — exit to come back`
          : `dockhand: attached to ${target.name} — ctrl-p ctrl-q detaches and comes back`,
        missingCommand: dockerCliMissing(kind),
      });
      const outcome = cliSessionOutcome(result);
      const what = kind === 'shell' ? `the shell in ${target.name}` : target.name;
      if (outcome.outcome === 'detached') setStatus({ text: `detached from ${what}; it keeps running`, tone: 'info' });
      else if (outcome.outcome === 'failed') setStatus({ text: `${kind} ${target.name}: ${outcome.reason}`, tone: 'error' });
      else if (outcome.outcome === 'killed') setStatus({ text: `${kind} ${target.name} ended by ${outcome.signal}`, tone: 'info' });
      else if (kind === 'shell') setStatus({ text: `back from ${what}${outcome.exitCode ? ` (exit ${outcome.exitCode})` : ''}`, tone: 'info' });
      else setStatus({ text: `attach to ${target.name} ended (exit ${outcome.exitCode})`, tone: 'info' });
    } catch (err) {
      setStatus({ text: `${kind} ${target.name}: ${toEngineError(err).message}`, tone: 'error' });
    } finally {
      handedOver.current = false;
      store.refresh().catch(() => undefined);
    }
  };

  /** A custom command that wants the terminal: run as given (argv, no shell), then back. */
  const runInTerminal = async (argv: readonly string[], env: NodeJS.ProcessEnv, label: string) => {
    if (handedOver.current) return;
    const [command, ...args] = argv;
    if (!command) return;
    handedOver.current = true;
    try {
      const result = await handOverTerminal({
        command,
        args,
        env,
        stdin,
        stdout,
        setRawMode,
        banner: `dockhand: ${label} — when it ends, dockhand comes back`,
        missingCommand: `${command} is not installed (or not on PATH)`,
      });
      const outcome = cliSessionOutcome(result);
      if (outcome.outcome === 'failed') setStatus({ text: `${label}: ${outcome.reason}`, tone: 'error' });
      else if (outcome.outcome === 'killed') setStatus({ text: `${label} ended by ${outcome.signal}`, tone: 'info' });
      else setStatus({ text: `${label} ended${outcome.outcome === 'ended' && outcome.exitCode ? ` (exit ${outcome.exitCode})` : ''}`, tone: 'info' });
    } finally {
      handedOver.current = false;
      store.refresh().catch(() => undefined);
    }
  };

  return { handOver, runInTerminal, handedOver };
}
