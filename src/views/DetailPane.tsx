import React from 'react';
import { Box, Text } from 'ink';
import type { ContainerDetails, ContainerRow } from '../engine/types.js';
import type { DetailsState } from '../hooks/useContainerDetails.js';
import { formatDuration, formatPorts, formatState, shortId, truncate } from './format.js';

interface Props {
  row: ContainerRow | undefined;
  state: DetailsState;
  nowMs: number;
  width: number;
  height: number;
}

export interface DetailLine {
  label: string;
  value: string;
}

/** The summary of one container as label/value lines, most telling first. */
export function detailLines(row: ContainerRow, details: ContainerDetails | undefined, nowMs: number): DetailLine[] {
  const lines: DetailLine[] = [
    { label: 'Name', value: row.name },
    { label: 'ID', value: shortId(row.id) },
    { label: 'Image', value: row.image },
    { label: 'State', value: details ? describeState(details, nowMs) : row.status },
  ];
  if (details) {
    if (details.state === 'exited' || details.state === 'dead') {
      lines.push({ label: 'Exit code', value: `${details.exitCode}${details.oomKilled ? ' (out of memory)' : ''}` });
    }
    if (details.error) lines.push({ label: 'Error', value: details.error });
    lines.push(
      { label: 'Command', value: [details.entrypoint, details.command].filter(Boolean).join(' ') },
      { label: 'Created', value: details.created.replace('T', ' ').replace(/\.\d+Z$/, '') },
      { label: 'Restart', value: `${details.restartPolicy} (restarted ${details.restartCount}×)` },
    );
  } else {
    lines.push({ label: 'Command', value: row.command });
  }
  if (row.project) lines.push({ label: 'Compose', value: `${row.project} / ${row.service ?? '?'}` });
  const ports = formatPorts(details?.ports ?? row.ports);
  if (ports) lines.push({ label: 'Ports', value: ports });
  for (const mount of details?.mounts ?? []) {
    lines.push({ label: 'Mount', value: `${mount.type} ${mount.source} → ${mount.destination}${mount.rw ? '' : ' (ro)'}` });
  }
  for (const [key, value] of Object.entries(details?.labels ?? row.labels)) {
    lines.push({ label: 'Label', value: `${key}=${value}` });
  }
  return lines;
}

/** The list's status text is as old as the last list; this is computed against the clock. */
function describeState(details: ContainerDetails, nowMs: number): string {
  const since = (iso: string) => formatDuration(Math.max(0, (nowMs - Date.parse(iso)) / 1000));
  const health = details.health ? ` (${details.health})` : '';
  switch (details.state) {
    case 'running': return `running, up ${since(details.startedAt)}${health}`;
    case 'paused': return `paused, up ${since(details.startedAt)}`;
    case 'restarting': return `restarting (restarted ${details.restartCount}×)`;
    case 'exited':
    case 'dead': return `${formatState(details)}, ${since(details.finishedAt)} ago`;
    default: return details.state;
  }
}

const LABEL_WIDTH = 10;

export function DetailPane({ row, state, nowMs, width, height }: Props) {
  const inner = Math.max(0, width - 2);
  let body: React.ReactNode;
  if (!row) {
    body = <Text dimColor>No container selected</Text>;
  } else {
    const details = state.status === 'ready' && state.details.id === row.id ? state.details : undefined;
    const lines = detailLines(row, details, nowMs).slice(0, height - 1);
    body = (
      <>
        {lines.map((line, i) => (
          <Text key={i} wrap="truncate">
            <Text dimColor>{line.label.padEnd(LABEL_WIDTH)}</Text>
            {truncate(line.value, inner - LABEL_WIDTH)}
          </Text>
        ))}
        {state.status === 'gone' ? <Text color="yellow">This container no longer exists.</Text> : null}
        {state.status === 'error' ? <Text color="red" wrap="truncate">{truncate(state.message, inner)}</Text> : null}
      </>
    );
  }
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="single"
      borderTop={false}
      borderBottom={false}
      borderRight={false}
      borderDimColor
      paddingLeft={1}
      overflow="hidden"
    >
      {body}
    </Box>
  );
}
