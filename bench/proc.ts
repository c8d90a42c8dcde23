// What the processes under measurement cost, read from /proc as `top` and `ps` read it: CPU time
// (utime + stime) and peak resident memory (VmHWM).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

interface ProcessStat {
  pid: number;
  comm: string;
  ppid: number;
  cpuSeconds: number;
}

function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // The name is in parentheses and may itself contain spaces and parentheses: split after the last one.
  const nameEnd = text.lastIndexOf(')');
  const fields = text.slice(nameEnd + 2).split(' ');
  // proc(5) numbers fields from 1 with the pid; `fields` starts at field 3 (state).
  const field = (n: number) => Number(fields[n - 3]);
  return { pid, comm: text.slice(text.indexOf('(') + 1, nameEnd), ppid: field(4), cpuSeconds: (field(14) + field(15)) / CLOCK_TICKS_PER_SECOND };
}

function allPids(): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const stat of allPids().map(readStat)) {
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i] ?? -1) ?? []));
  return tree;
}

/** The first process of `pids` with this name (meow renames dockhand's node process "dockhand"). */
export function findByName(pids: readonly number[], comm: string): number | undefined {
  return pids.find((pid) => readStat(pid)?.comm === comm);
}

export interface EngineProcesses {
  dockerd: number[];
  containerd: number[];
  /** One containerd-shim per container: `docker stats` costs land here as well. */
  shims: number[];
}

/**
 * The daemons of the engine whose files live under `root`: each names that folder on its command
 * line (dockerd's --data-root, containerd's --config, each shim's -address), which tells them
 * from the shared engine's daemons running beside them.
 */
export function engineProcesses(root: string): EngineProcesses {
  const found: EngineProcesses = { dockerd: [], containerd: [], shims: [] };
  for (const pid of allPids()) {
    const comm = readStat(pid)?.comm ?? '';
    // The kernel keeps 15 characters of a name: containerd-shim-runc-v2 reads "containerd-shim".
    const group = comm === 'dockerd' ? found.dockerd : comm === 'containerd' ? found.containerd : comm.startsWith('containerd-shim') ? found.shims : undefined;
    if (group && commandLine(pid).includes(root)) group.push(pid);
  }
  return found;
}

function cpuSecondsByPid(pids: readonly number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) seconds.set(pid, stat.cpuSeconds);
  }
  return seconds;
}

/**
 * CPU seconds each group of processes spends over the next `ms`. The groups are read again at the
 * end, so a process born meanwhile counts all it used; one that died meanwhile counts nothing.
 */
export async function cpuSecondsOver<Group extends string>(
  groups: () => Record<Group, readonly number[]>,
  ms: number,
): Promise<Record<Group, number>> {
  const before = cpuSecondsByPid(Object.values<readonly number[]>(groups()).flat());
  await sleep(ms);
  const atEnd = groups();
  const after = cpuSecondsByPid(Object.values<readonly number[]>(atEnd).flat());
  const spent = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + (after.get(pid) ?? 0) - (before.get(pid) ?? 0), 0);
  return Object.fromEntries(Object.entries<readonly number[]>(atEnd).map(([group, pids]) => [group, spent(pids)])) as Record<Group, number>;
}

/** The most memory the process has had resident since it started (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kib === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kib) * 1024;
}
