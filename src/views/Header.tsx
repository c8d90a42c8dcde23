import { Box, Text } from 'ink';
import type { HostStatus } from '../engine/fleet.js';
import type { Problem } from '../engine/problems.js';
import type { ConnectionState, EngineInfo } from '../engine/types.js';
import { displayWidth, pad, plural, truncate } from './format.js';
import { useTheme, type Role } from './theme.js';

interface Props {
  info: EngineInfo;
  connection: ConnectionState;
  /** The first list has arrived: before it, "live" would promise rows that are not there yet */
  loaded: boolean;
  /** What the view on screen counts: "3/5 running", "12 images · 3 dangling" */
  counts: string;
  /** The containers in trouble now: counted beside the counts, as an error when one is down */
  problems: readonly Pick<Problem, 'severity'>[];
  /** A fleet's hosts: each with its state instead of one engine's endpoint */
  hosts?: readonly HostStatus[] | undefined;
  width: number;
}

/** Which engine this is, how dockhand reached it, and whether the view is live. */
const HOST_MARKS: Record<HostStatus['state']['status'], { mark: string; tone: Role }> = {
  connected: { mark: '●', tone: 'ok' },
  connecting: { mark: '…', tone: 'warning' },
  reconnecting: { mark: '◌', tone: 'warning' },
  down: { mark: '✕', tone: 'error' },
};

interface Alert {
  /** "⚠ 2 problems  ": with the gap to what follows */
  text: string;
  tone: Role;
}

/** Nothing while all is well: the header is tight, and an indicator that is always there is not seen. */
function alertOf(problems: Props['problems']): Alert | undefined {
  if (problems.length === 0) return undefined;
  return { text: `⚠ ${plural(problems.length, 'problem')}  `, tone: problems.some((p) => p.severity === 'error') ? 'error' : 'warning' };
}

/** Each host with a mark for its state; the first one in trouble says why, as far as room allows. */
function FleetHeader({ hosts, counts, alert, mark, width }: { hosts: readonly HostStatus[]; counts: string; alert: Alert | undefined; mark: string; width: number }) {
  const trouble = hosts.find((h) => h.state.status === 'down' || h.state.status === 'reconnecting');
  const why = trouble && 'reason' in trouble.state ? `  ${trouble.name} ${trouble.state.status}: ${trouble.state.reason}` : '';
  const right = `  ${mark}${alert?.text ?? ''}${counts}`;
  let used = 0;
  const cells = hosts.map((host) => {
    const text = `${host.name} ${HOST_MARKS[host.state.status].mark} `;
    used += displayWidth(text);
    return { host, text };
  });
  const room = Math.max(0, width - used - right.length);
  const theme = useTheme();
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {cells.map(({ host, text }) => <Text key={host.name} {...theme.style(HOST_MARKS[host.state.status].tone)}>{text}</Text>)}
        <Text {...theme.style('warning')}>{pad(why, room)}</Text>
        <Text>  </Text>
        <Text {...theme.style('accent')}>{mark}</Text>
        {alert ? <Text {...theme.style(alert.tone)}>{alert.text}</Text> : null}
        <Text>{counts}</Text>
      </Text>
    </Box>
  );
}

export function Header({ info, connection, loaded, counts, problems, hosts, width }: Props) {
  const theme = useTheme();
  const alert = alertOf(problems);
  // Always said, so nobody wonders why a key does nothing on this engine.
  const mark = info.endpoint.readOnly ? 'read-only  ' : '';
  if (hosts) return <FleetHeader hosts={hosts} counts={counts} alert={alert} mark={mark} width={width} />;
  const alertText = alert?.text ?? '';
  const engineText = `${info.product === 'Podman Engine' ? 'Podman' : 'Docker'} ${info.serverVersion} · API ${info.apiVersion}`;
  const where = `${info.endpoint.contextName} · ${info.endpoint.url}`;
  const live = connection.status === 'connected'
    ? loaded ? { text: '● live', tone: 'ok' as const } : { text: '… loading', tone: 'warning' as const }
    : { text: `◌ reconnecting (try ${connection.attempt}): ${connection.reason}`, tone: 'warning' as const };
  // The product name is the first thing to give up on a narrow terminal, then the endpoint's tail:
  // the problems and whether the view is live matter more than where it comes from.
  const full = `dockhand  ${where} · ${engineText}`;
  const left = displayWidth(full) + mark.length + counts.length + alertText.length + live.text.length + 3 <= width ? full : `${where} · ${engineText}`;
  const right = `${mark}${counts}  ${alertText}${live.text}`;
  const room = Math.max(0, width - right.length - 1);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" bold>{pad(left, room)} </Text>
      {mark ? <Text wrap="truncate" {...theme.style('accent')}>{mark}</Text> : null}
      <Text wrap="truncate">{counts}  </Text>
      {alert ? <Text wrap="truncate" {...theme.style(alert.tone)}>{alertText}</Text> : null}
      <Text wrap="truncate" {...theme.style(live.tone)}>{truncate(live.text, Math.max(0, width - room - mark.length - counts.length - alertText.length - 3))}</Text>
    </Box>
  );
}
