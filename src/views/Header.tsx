import { Box, Text } from 'ink';
import type { ConnectionState, EngineInfo } from '../engine/types.js';
import { truncate } from './format.js';

interface Props {
  info: EngineInfo;
  connection: ConnectionState;
  /** What the view on screen counts: "3/5 running", "12 images · 3 dangling" */
  counts: string;
  width: number;
}

/** Which engine this is, how dockhand reached it, and whether the view is live. */
export function Header({ info, connection, counts, width }: Props) {
  const engineText = `${info.product === 'Podman Engine' ? 'Podman' : 'Docker'} ${info.serverVersion} · API ${info.apiVersion}`;
  const where = `${info.endpoint.contextName} · ${info.endpoint.url}`;
  const live = connection.status === 'connected'
    ? { text: '● live', color: 'green' }
    : { text: `◌ reconnecting (try ${connection.attempt}): ${connection.reason}`, color: 'yellow' };
  // The product name is the first thing to give up on a narrow terminal; the endpoint is the last.
  const full = `dockhand  ${where} · ${engineText}`;
  const left = full.length + counts.length + live.text.length + 3 <= width ? full : `${where} · ${engineText}`;
  const right = `${counts}  ${live.text}`;
  const room = Math.max(0, width - right.length - 1);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" bold>{truncate(left, room).padEnd(room)} </Text>
      <Text wrap="truncate">{counts}  </Text>
      <Text wrap="truncate" color={live.color}>{truncate(live.text, Math.max(0, width - room - counts.length - 3))}</Text>
    </Box>
  );
}
