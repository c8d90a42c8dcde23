import type { Engine } from './engine.js';
import { LogBuffer, type LogEntry } from './log-buffer.js';
import { LogFollower, type LogFollowerOptions } from './log-follow.js';

/** One container of a Compose project, as its merged log labels it. */
export interface ProjectMember {
  id: string;
  /** The Compose service, with the replica number when there are several: "web-2" */
  label: string;
}

export interface ProjectLogOptions {
  members: readonly ProjectMember[];
  tail: number;
  sinceSeconds?: number;
  buffer: LogBuffer;
  subscribeEvents: LogFollowerOptions['subscribeEvents'];
  subscribeReconnected?: LogFollowerOptions['subscribeReconnected'];
  /**
   * Lines newer than this are held back a moment, so a line that reaches dockhand a little later
   * from another container still takes its place in time order.
   */
  holdBackMs?: number;
  mergeIntervalMs?: number;
}

/** SGR foreground colours for the service labels, in turn: what `docker compose logs` does too. */
const LABEL_COLOURS = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94, 91];
const ESC = '\u001B';

/**
 * The merged log of a Compose project: one follower per container into a buffer of its own, and
 * a merge that moves their lines into `buffer` in timestamp order, each prefixed with its service
 * in a colour of its own. Separators and notices keep their place by their own times.
 */
export class ProjectLogFollower {
  private readonly followers: Array<{ member: ProjectMember; buffer: LogBuffer; follower: LogFollower; nextSeq: number; colour: number }> = [];
  private pending: Array<{ entry: LogEntry; label: string; colour: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly holdBackMs: number;
  private readonly mergeIntervalMs: number;
  private readonly labelWidth: number;

  constructor(private readonly engine: Engine, private readonly options: ProjectLogOptions) {
    this.holdBackMs = options.holdBackMs ?? 300;
    this.mergeIntervalMs = options.mergeIntervalMs ?? 100;
    this.labelWidth = Math.max(0, ...options.members.map((m) => m.label.length));
  }

  async start(): Promise<void> {
    const members = await Promise.all(this.options.members.map(async (member) => {
      // Framing depends on each container's TTY; a container gone meanwhile is simply left out.
      const tty = await this.engine.inspectContainer(member.id).then((d) => d.tty, () => undefined);
      return { member, tty };
    }));
    members.forEach(({ member, tty }, i) => {
      if (tty === undefined) return;
      const buffer = new LogBuffer({ maxLines: this.options.buffer.maxLines });
      const follower = new LogFollower(this.engine, {
        id: member.id,
        tty,
        tail: this.options.tail,
        buffer,
        subscribeEvents: this.options.subscribeEvents,
        ...(this.options.subscribeReconnected ? { subscribeReconnected: this.options.subscribeReconnected } : {}),
        ...(this.options.sinceSeconds !== undefined ? { sinceSeconds: this.options.sinceSeconds } : {}),
      });
      this.followers.push({ member, buffer, follower, nextSeq: 0, colour: LABEL_COLOURS[i % LABEL_COLOURS.length] ?? 36 });
      follower.start();
    });
    this.timer = setInterval(() => this.merge(Date.now()), this.mergeIntervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const { follower } of this.followers) follower.stop();
  }

  /** Moves what the followers took in since the last merge, in time order, up to the hold-back line. */
  merge(nowMs: number): void {
    for (const source of this.followers) {
      for (let i = 0; i < source.buffer.length; i += 1) {
        const entry = source.buffer.at(i);
        if (!entry || entry.seq < source.nextSeq) continue;
        this.pending.push({ entry, label: source.member.label, colour: source.colour });
        source.nextSeq = entry.seq + 1;
      }
    }
    if (this.pending.length === 0) return;
    // A stable sort: lines of one container with the same time keep their order.
    this.pending.sort((a, b) => (a.entry.timeMs ?? 0) - (b.entry.timeMs ?? 0));
    const cutoff = nowMs - this.holdBackMs;
    const ready = this.pending.findIndex((p) => (p.entry.timeMs ?? 0) > cutoff);
    const flushed = ready < 0 ? this.pending : this.pending.slice(0, ready);
    this.pending = ready < 0 ? [] : this.pending.slice(ready);
    for (const { entry, label, colour } of flushed) this.options.buffer.push(this.labelled(entry, label, colour));
  }

  private labelled(entry: LogEntry, label: string, colour: number): Omit<LogEntry, 'seq'> {
    const padded = label.padEnd(this.labelWidth);
    const { seq: _seq, ...rest } = entry;
    return { ...rest, text: `${ESC}[${colour}m${padded}${ESC}[0m │ ${entry.text}`, plain: `${padded} │ ${entry.plain}` };
  }
}

/** Labels for a project's containers: the service, with the replica number where it has several. */
export function projectMembers(containers: ReadonlyArray<{ id: string; name: string; service?: string; labels: Record<string, string> }>): ProjectMember[] {
  const perService = new Map<string, number>();
  for (const c of containers) perService.set(c.service ?? c.name, (perService.get(c.service ?? c.name) ?? 0) + 1);
  return containers.map((c) => {
    const service = c.service ?? c.name;
    const replica = c.labels['com.docker.compose.container-number'];
    const label = (perService.get(service) ?? 0) > 1 && replica ? `${service}-${replica}` : service;
    return { id: c.id, label };
  });
}
