import { useEffect, useRef } from 'react';
import { Box, Text } from 'ink';
import type { ContainerSource } from '../engine/container-store.js';
import type { Engine } from '../engine/engine.js';
import { describeEngineError, isNotFound } from '../engine/errors.js';
import { ContainerStartError, dockerRunCommandLine, parseCommand, parseRunForm, type RunForm, type RunSpec } from '../engine/run-spec.js';
import type { ContainerRow } from '../engine/types.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { shortId } from './format.js';
import { commandFor, hintLine, keyLabel, keysFor, type CommandId } from './keymap.js';
import { confirmKeysText, RUN_FIELDS, runFormLines, type FieldId, type FieldValues, type FormLine, type RunFormView } from './run-form-lines.js';
import { backspaced, typed } from './text-edit.js';
import { useTheme } from './theme.js';
import type { CommandOutputPane } from './useCommandRun.js';

export interface RunFormInput {
  engine: Engine;
  store: ContainerSource;
  width: number;
  setStatus: (status: StatusMessage | undefined) => void;
  /** The images list's selected row as it is now: the image's id and its tag ('' when it has none) */
  selected: () => { ID?: string; Tag?: string } | undefined;
  /** Pulls an image that is not here, in the pull view; whether it came */
  pullForRun: (image: string) => Promise<boolean>;
  /** Shows the containers list with this container (listed already) selected, and says `status` */
  showContainer: (id: string, status: StatusMessage) => void;
}

/** The fields that take several entries, written on one line as a shell would read them. */
const REPEATED: ReadonlySet<FieldId> = new Set(['env', 'ports', 'volumes']);

/** What was typed, as run-spec reads it: the repeated fields split into entries, or why one cannot be. */
function toRunForm(values: FieldValues): { form: RunForm } | { errors: Partial<Record<FieldId, string>> } {
  const entries: Partial<Record<FieldId, string[]>> = {};
  const errors: Partial<Record<FieldId, string>> = {};
  for (const id of REPEATED) {
    const split = parseCommand(values[id]);
    if ('value' in split) entries[id] = split.value;
    else errors[id] = 'a quote is not closed: close it, or put a backslash before it';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { form: { ...values, env: entries.env ?? [], ports: entries.ports ?? [], volumes: entries.volumes ?? [], detached: true } };
}

/** Resolves with the container once the live list has it (the list follows the engine's events a moment later). */
function listed(store: ContainerSource, id: string, signal: AbortSignal): Promise<ContainerRow | undefined> {
  return new Promise((resolve) => {
    const find = () => store.getSnapshot().containers.find((c) => c.id === id);
    const found = find();
    if (found) return resolve(found);
    const stop = () => {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => { stop(); resolve(undefined); };
    const unsubscribe = store.subscribe(() => {
      const row = find();
      if (row) { stop(); resolve(row); }
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function FormLines({ lines, width, height }: { lines: readonly FormLine[]; width: number; height: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line.length === 0 ? ' ' : line.map((segment, j) => (
            <Text key={j} {...theme.style(segment.role)} inverse={segment.inverse === true}>{segment.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The images list's Run (R): a form with the essentials of `docker run`, checked field by field
 * before anything is sent, then the equivalent `docker run` line to confirm with `y`. An image
 * that is not here is pulled first, as `docker run` does; the new container (created and
 * started, detached) is then selected in the containers list. A refusal brings the form back as
 * it was typed, with the engine's words.
 */
export function useRunForm({ engine, store, width, setStatus, selected, pullForRun, showContainer }: RunFormInput) {
  const [ui, getUi, setUi] = useLatestState<{ form: RunFormView | undefined }>({ form: undefined });
  /** The run in flight: closing the form (or leaving dockhand) stops waiting for its container. */
  const running = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => running.current?.abort(), []);

  const update = (patch: Partial<RunFormView>) => {
    const form = getUi().form;
    if (form) setUi({ form: { ...form, ...patch } });
  };

  const close = () => {
    running.current?.abort();
    running.current = undefined;
    setUi({ form: undefined });
  };

  const open = () => {
    const image = selected();
    const values = Object.fromEntries(RUN_FIELDS.map((f) => [f.id, ''])) as Record<FieldId, string>;
    values.image = image?.Tag || image?.ID || '';
    setStatus(undefined);
    // The image is there already: the name is what one types first.
    setUi({ form: { step: 'edit', values, focus: values.image ? 'name' : 'image', errors: {} } });
  };

  /** The spec the confirm step shows, as checked */
  const pendingSpec = useRef<RunSpec | undefined>(undefined);

  const submit = (form: RunFormView) => {
    const typedForm = toRunForm(form.values);
    const parsed = 'form' in typedForm ? parseRunForm(typedForm.form) : typedForm;
    if ('errors' in parsed) {
      const errors = parsed.errors as Partial<Record<FieldId, string>>;
      const firstBad = RUN_FIELDS.find((f) => errors[f.id] !== undefined)?.id ?? form.focus;
      return setUi({ form: { ...form, errors, focus: firstBad } });
    }
    setUi({ form: { ...form, errors: {}, step: 'confirm', commandLine: dockerRunCommandLine(parsed.spec) } });
    pendingSpec.current = parsed.spec;
  };

  /** Whether the engine has the image; any other failure than "no such image" is the run's to report. */
  const imageIsHere = (image: string) => engine.inspectImage(image).then(() => true, (err: unknown) => {
    if (isNotFound(err)) return false;
    throw err;
  });

  const run = async (spec: RunSpec) => {
    const controller = new AbortController();
    running.current = controller;
    update({ step: 'running', refusal: undefined });
    const backToForm = (refusal: string) => {
      if (running.current === controller) running.current = undefined;
      // Closed meanwhile, the form is gone: the status line says it instead.
      if (controller.signal.aborted) setStatus({ text: `run: ${refusal}`, tone: 'error' });
      else update({ step: 'edit', refusal });
    };
    const select = async (id: string, status: (row: ContainerRow | undefined) => StatusMessage) => {
      const row = await listed(store, id, controller.signal);
      if (controller.signal.aborted) return setStatus(status(row));
      running.current = undefined;
      setUi({ form: undefined });
      showContainer(id, status(row));
    };
    try {
      if (!(await imageIsHere(spec.image)) && !(await pullForRun(spec.image))) {
        return backToForm(`${spec.image} is not here and was not pulled`);
      }
      const id = await engine.runContainer(spec);
      await select(id, (row) => ({ text: `Started ${row?.name ?? (spec.name || 'the container')} (${shortId(id)})`, tone: 'info' }));
    } catch (err) {
      if (err instanceof ContainerStartError) await select(err.containerId, () => ({ text: err.message, tone: 'error' }));
      else backToForm(describeEngineError(err));
    }
  };

  const moveFocus = (form: RunFormView, step: 1 | -1) => {
    const at = RUN_FIELDS.findIndex((f) => f.id === form.focus);
    const next = RUN_FIELDS[(at + step + RUN_FIELDS.length) % RUN_FIELDS.length];
    if (next) setUi({ form: { ...form, focus: next.id } });
  };

  const edit = (form: RunFormView, change: (value: string) => string) => {
    const value = change(form.values[form.focus]);
    if (value === form.values[form.focus]) return;
    // The field's error goes with the edit that may fix it; the others stay until Enter.
    const { [form.focus]: _fixed, ...errors } = form.errors;
    setUi({ form: { ...form, values: { ...form.values, [form.focus]: value }, errors } });
  };

  /** Every key while the form is open, but Ctrl-C (quit). */
  const handleKey = (name: string, input: string): boolean => {
    const form = getUi().form;
    if (!form || name === 'ctrl+c') return false;
    if (form.step === 'running') {
      if (commandFor(name, ['form']) === 'closeForm') close();
      return true;
    }
    if (form.step === 'confirm') {
      const command = commandFor(name, ['confirm']);
      if (command === 'confirmYes' && pendingSpec.current) void run(pendingSpec.current);
      if (command === 'confirmNo') setUi({ form: { ...form, step: 'edit' } });
      return true;
    }
    switch (commandFor(name, ['form'])) {
      case 'nextField': moveFocus(form, 1); break;
      case 'previousField': moveFocus(form, -1); break;
      case 'submitForm': submit(form); break;
      case 'closeForm': close(); break;
      case 'formBackspace': edit(form, backspaced); break;
      default: edit(form, (value) => typed(value, input));
    }
    return true;
  };

  /** Keys of the images list: false for those it leaves to the list. */
  const handleListCommand = (command: CommandId): boolean => {
    if (command !== 'runImage') return false;
    open();
    return true;
  };

  const form = ui.form;
  const closeKey = keyLabel(keysFor('closeForm', 'form')[0] ?? '');
  const hints = form?.step === 'confirm'
    ? confirmKeysText()
    : form?.step === 'running'
      ? `${closeKey} close (the run goes on)`
      : hintLine(['form'], [['submitForm', 'check and show the command'], [['nextField', 'previousField'], 'field'], ['closeForm', 'close']]);
  const pane: CommandOutputPane | undefined = form && {
    render: (height) => <FormLines lines={runFormLines(form, width, height)} width={width} height={height} />,
    handleKey,
    hints,
  };
  return { handleListCommand, pane };
}
