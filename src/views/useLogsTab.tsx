import React, { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';
import { onReconnected, type ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import { LogBuffer } from '../engine/log-buffer.js';
import { LogFollower, SINCE_PRESETS, type SincePreset } from '../engine/log-follow.js';
import { ProjectLogFollower, type ProjectMember } from '../engine/project-logs.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { clipboardCopy, resolveSavePath, saveLines, suggestLogFileName } from './clipboard.js';
import { describeUntil, parseUntil, UNTIL_FORMS } from './time-range.js';
import { commandFor } from './keymap.js';
import {
  FOLLOWING, followLatest, jumpToMatch, linesToSave, matchText, scrollPages, scrollRows, scrollToStart, TIMESTAMP_MODES, visibleLines,
  type LogViewport, type SearchSpec, type TimestampMode,
} from './log-view.js';
import { LogsPane, logScreen, type LogsPaneProps } from './LogsPane.js';

/** Redraws while lines stream in: often enough to look live, rare enough for a 20,000 lines/s flood. */
const REDRAW_MS = 100;
const HSCROLL_STEP = 8;
const MAX_CONTEXT = 20;
const DEFAULT_CONTEXT = 2;
const SINCE_ALL = SINCE_PRESETS.length - 1;

type BoxKind = 'search' | 'filter' | 'save' | 'overwrite' | 'until';

/** What the pane shows is the tab's state; the rest is the tab's own. */
interface LogsUi extends Pick<LogsPaneProps, 'viewport' | 'wrap' | 'hscroll' | 'timestamps' | 'search' | 'filter'> {
  sinceIndex: number;
  /** The end of the time range, ms since the epoch; undefined follows the log as it grows. */
  untilMs: number | undefined;
  box: { kind: BoxKind; value: string; regex: boolean } | undefined;
  notice: { text: string; tone: 'info' | 'error' } | undefined;
}

const INITIAL: LogsUi = {
  viewport: FOLLOWING, wrap: true, hscroll: 0, timestamps: 'off', search: { query: '', regex: false },
  filter: undefined, sinceIndex: SINCE_ALL, untilMs: undefined, box: undefined, notice: undefined,
};

export interface LogsTabInput {
  engine: Engine;
  store: ContainerSource;
  /** The selected container, once its inspect says whether it has a TTY (that decides framing). */
  container: { id: string; name: string; tty: boolean; subject?: 'container' | 'service' } | undefined;
  /** The newest lines fetched when a log is opened; older ones come with a since preset. */
  tail: number;
  /** Instead of the container: a Compose project's containers, their logs merged in time order. */
  project: { name: string; members: ProjectMember[] } | undefined;
  /** The Logs tab is on screen: only then is the log followed. */
  visible: boolean;
  width: number;
  height: number;
  /** What a log opens with (the configuration's logs section); default: all of it, no times */
  opensWith?: { since: SincePreset['label']; timestamps: TimestampMode } | undefined;
}

export interface LogsTab {
  element: React.ReactNode;
  /** Keys of the full-screen Logs tab; false when the key is not the tab's (tabs, Esc, help, quit). */
  handleKey(name: string, input: string): boolean;
  /** The open text box (search, filter, file name, overwrite question), for the status line. */
  box: { label: string; value: string; placeholder: string } | undefined;
  notice: LogsUi['notice'];
}

/**
 * The Logs tab: follows the selected container's log into a bounded buffer while the tab is on
 * screen, redraws at a bounded rate, and owns the tab's keys (scrolling, search, filter with
 * context, wrap, timestamps, since presets, save and copy).
 */
export function useLogsTab({ engine, store, container, project, tail, visible, width, height, opensWith }: LogsTabInput): LogsTab {
  const { stdout } = useStdout();
  const timestamps = opensWith?.timestamps ?? INITIAL.timestamps;
  const sinceIndex = SINCE_PRESETS.findIndex((preset) => preset.label === opensWith?.since);
  const [ui, getUi, setUi] = useLatestState<LogsUi>({ ...INITIAL, timestamps, sinceIndex: sinceIndex < 0 ? SINCE_ALL : sinceIndex });
  const [buffer, setBuffer] = useState(() => new LogBuffer());
  const [, setShownVersion] = useState(0);
  /** The last search per container, for the session: coming back to a container finds it again. */
  const searches = useRef(new Map<string, SearchSpec>());
  const id = container?.id;
  const tty = container?.tty ?? false;
  const follows = container?.subject ?? 'container';

  useEffect(() => {
    if (!id) return;
    setUi({ ...INITIAL, timestamps, search: searches.current.get(id) ?? INITIAL.search, sinceIndex: getUi().sinceIndex, untilMs: getUi().untilMs });
    return () => {
      searches.current.set(id, { ...getUi().search, current: undefined });
    };
  }, [id, getUi, setUi, timestamps]);

  const members = project?.members;
  const membersKey = members?.map((m) => `${m.id}:${m.label}`).join(',');
  useEffect(() => {
    if (!visible || (!id && !members)) return;
    const fresh = new LogBuffer();
    setBuffer(fresh);
    const sinceSeconds = SINCE_PRESETS[ui.sinceIndex]?.seconds;
    const common = {
      tail,
      buffer: fresh,
      subscribeEvents: (listener: Parameters<ContainerSource['onEvent']>[0]) => store.onEvent(listener),
      subscribeReconnected: (listener: () => void) => onReconnected(store, listener),
      ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
      ...(ui.untilMs !== undefined ? { untilMs: ui.untilMs } : {}),
    };
    const follower = members
      ? new ProjectLogFollower(engine, { ...common, members })
      : new LogFollower(engine, { ...common, id: id ?? '', tty, subject: follows });
    void follower.start();
    let shown = -1;
    const timer = setInterval(() => {
      if (fresh.version !== shown) {
        shown = fresh.version;
        setShownVersion(shown);
      }
    }, REDRAW_MS);
    return () => {
      clearInterval(timer);
      follower.stop();
    };
    // membersKey stands for members: a new array of the same containers is the same project.
  }, [engine, store, id, tty, follows, membersKey, visible, tail, ui.sinceIndex, ui.untilMs]);

  const paneProps = {
    entries: buffer, width, height, wrap: ui.wrap, hscroll: ui.hscroll, timestamps: ui.timestamps,
    search: ui.search, filter: ui.filter,
  };
  const screen = () => {
    const now = getUi();
    return logScreen({ ...paneProps, wrap: now.wrap, hscroll: now.hscroll, timestamps: now.timestamps, search: now.search, filter: now.filter });
  };

  const save = async (path: string, overwrite: boolean) => {
    const now = getUi();
    const options = { ...screen().options, filter: now.filter };
    const result = await saveLines(resolveSavePath(path), linesToSave(buffer, options), { overwrite });
    if (result.ok) setUi({ box: undefined, notice: { text: `saved ${result.bytes} bytes to ${result.path}`, tone: 'info' } });
    else if (result.reason === 'exists') setUi({ box: { kind: 'overwrite', value: path, regex: false } });
    else setUi({ box: undefined, notice: { text: `not saved: ${result.reason}`, tone: 'error' } });
  };

  const copy = () => {
    const now = getUi();
    const current = now.search.current;
    const text = (current ? matchText(screen(), current) : undefined) ?? visibleLines(screen(), now.viewport).join('\n');
    const copied = clipboardCopy(text);
    // Written past Ink: the terminal takes it as an instruction, and prints nothing.
    stdout.write(copied.sequence);
    const what = current ? 'the match' : 'the lines on screen';
    setUi({ notice: { text: `copied ${what} to the clipboard (OSC 52)${copied.cut ? `, cut to ${copied.bytes} bytes` : ''}`, tone: 'info' } });
  };

  const handleBoxKey = (box: NonNullable<LogsUi['box']>, name: string, input: string): boolean => {
    if (box.kind === 'overwrite') {
      if (name === 'y') void save(box.value, true);
      else if (name === 'n' || name === 'escape' || name === 'enter') setUi({ box: undefined, notice: { text: 'not saved', tone: 'info' } });
      return name !== 'ctrl+c';
    }
    const command = commandFor(name, ['search']);
    if (command === 'searchKeep') {
      if (box.kind === 'search') {
        setUi({ box: undefined, search: { query: box.value, regex: box.regex } });
        const jump = jumpToMatch(screen(), getUi().viewport, -1);
        if (jump) setUi((s) => ({ viewport: jump.viewport, hscroll: jump.hscroll, search: { ...s.search, current: jump.current } }));
      } else if (box.kind === 'until') {
        const until = parseUntil(box.value, Date.now());
        if ('error' in until) setUi({ notice: { text: until.error, tone: 'error' } });
        else setUi({ box: undefined, untilMs: 'ms' in until ? until.ms : undefined, viewport: FOLLOWING, notice: undefined });
      } else if (box.kind === 'filter') {
        setUi((s) => ({ box: undefined, filter: box.value ? { query: box.value, regex: box.regex, context: s.filter?.context ?? DEFAULT_CONTEXT } : undefined, viewport: FOLLOWING }));
      } else {
        void save(box.value, false);
      }
    } else if (command === 'searchClear') {
      if (box.kind === 'search') setUi({ box: undefined, search: { query: '', regex: false } });
      else if (box.kind === 'filter') setUi({ box: undefined, filter: undefined, viewport: FOLLOWING });
      else setUi({ box: undefined });
    } else if (command === 'searchBackspace') {
      setUi({ box: { ...box, value: [...box.value].slice(0, -1).join('') } });
    } else if (command === 'toggleRegex' && (box.kind === 'search' || box.kind === 'filter')) {
      setUi({ box: { ...box, regex: !box.regex } });
    } else if (name === 'ctrl+c') {
      return false;
    } else if ([...input].length === 1 && input >= ' ') {
      setUi({ box: { ...box, value: box.value + input } });
    }
    return true;
  };

  const handleKey = (name: string, input: string): boolean => {
    const now = getUi();
    if (now.box) return handleBoxKey(now.box, name, input);
    const command = commandFor(name, ['logs']);
    const scroll = (viewport: LogViewport) => setUi({ viewport, notice: undefined });
    switch (command) {
      case 'down': scroll(scrollRows(screen(), now.viewport, 1)); return true;
      case 'up': scroll(scrollRows(screen(), now.viewport, -1)); return true;
      case 'pageDown': scroll(scrollPages(screen(), now.viewport, 1)); return true;
      case 'pageUp': scroll(scrollPages(screen(), now.viewport, -1)); return true;
      case 'top': scroll(scrollToStart(screen())); return true;
      case 'bottom': scroll(followLatest(now.viewport)); return true;
      case 'toggleWrap': setUi((s) => ({ wrap: !s.wrap, hscroll: 0 })); return true;
      case 'scrollLeft': setUi((s) => ({ hscroll: s.wrap ? 0 : Math.max(0, s.hscroll - HSCROLL_STEP) })); return true;
      case 'scrollRight': setUi((s) => ({ hscroll: s.wrap ? 0 : s.hscroll + HSCROLL_STEP })); return true;
      case 'cycleTimestamps':
        setUi((s) => ({ timestamps: TIMESTAMP_MODES[(TIMESTAMP_MODES.indexOf(s.timestamps) + 1) % TIMESTAMP_MODES.length] ?? 'off' }));
        return true;
      case 'cycleSince': {
        const sinceIndex = (now.sinceIndex + 1) % SINCE_PRESETS.length;
        setUi({ sinceIndex, viewport: FOLLOWING, notice: { text: `since ${SINCE_PRESETS[sinceIndex]?.label ?? 'all'}`, tone: 'info' } });
        return true;
      }
      case 'search': setUi({ box: { kind: 'search', value: now.search.query, regex: now.search.regex } }); return true;
      case 'setUntil': setUi({ box: { kind: 'until', value: '', regex: false } }); return true;
      case 'searchNext':
      case 'searchPrevious': {
        // n goes up the log (older), as less and vim do after a search from the bottom.
        const jump = jumpToMatch(screen(), now.viewport, command === 'searchNext' ? -1 : 1);
        if (jump) setUi((s) => ({ viewport: jump.viewport, hscroll: jump.hscroll, search: { ...s.search, current: jump.current } }));
        return true;
      }
      case 'filterLogs': setUi({ box: { kind: 'filter', value: now.filter?.query ?? '', regex: now.filter?.regex ?? false } }); return true;
      case 'moreContext':
      case 'lessContext': {
        const step = command === 'moreContext' ? 1 : -1;
        setUi((s) => (s.filter ? { filter: { ...s.filter, context: Math.max(0, Math.min(MAX_CONTEXT, s.filter.context + step)) } } : {}));
        return true;
      }
      case 'saveLogs':
        setUi({ box: { kind: 'save', value: suggestLogFileName(project?.name ?? container?.name ?? 'container', new Date()), regex: false } });
        return true;
      case 'copyLogs': copy(); return true;
      default: return false;
    }
  };

  const box = ui.box && {
    search: { label: `/${ui.box.regex ? '(regex) ' : ''}`, placeholder: 'search the log (Ctrl-r: regex)' },
    filter: { label: `filter${ui.box.regex ? ' (regex)' : ''}: `, placeholder: 'show only lines with… (Esc removes the filter)' },
    save: { label: 'save to: ', placeholder: 'file name' },
    overwrite: { label: `${ui.box.value} exists: overwrite it? y/n `, placeholder: '' },
    until: { label: 'until: ', placeholder: UNTIL_FORMS },
  }[ui.box.kind];

  const since = SINCE_PRESETS[ui.sinceIndex];
  const range = [
    since?.seconds !== undefined ? `since ${since.label}` : '',
    ui.untilMs !== undefined ? describeUntil(ui.untilMs, Date.now()) : '',
  ].filter(Boolean).join(' ');
  const subject = project ? `${project.name} (Compose project, ${project.members.length} containers)` : container?.name;
  const title = range ? `${subject} · ${range}` : subject;
  const element = container || project
    ? <LogsPane {...paneProps} viewport={ui.viewport} dropped={buffer.dropped} title={title} />
    : null;
  return {
    element,
    handleKey,
    box: box && ui.box ? { ...box, value: ui.box.kind === 'overwrite' ? '' : ui.box.value } : undefined,
    notice: ui.notice,
  };
}
