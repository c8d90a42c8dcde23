import { useEffect, useRef } from 'react';
import type { Engine } from '../engine/engine.js';
import { toEngineError } from '../engine/errors.js';
import { familiarReference, InvalidReferenceError, parseImageReference, type ImageReference } from '../engine/image-reference.js';
import { failedTransfer, finishTransfer, initialTransfer, type TransferKind, type TransferState } from '../engine/pull-progress.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { shortId } from './format.js';
import { commandFor, hintLine, keyLabel, keysFor, type CommandId } from './keymap.js';
import { ScrollPane } from './ScrollPane.js';
import { transferLines, type TransferView } from './transfer-lines.js';
import type { CommandOutputPane } from './useCommandRun.js';

/** Progress streams carry many messages a second per layer: the view takes the latest ten times a second. */
const PROGRESS_REDRAW_MS = 100;

export interface ImageTransferInput {
  engine: Engine;
  width: number;
  setStatus: (status: StatusMessage | undefined) => void;
  /** The images list's selected row as it is now: the image's id and its tag ('' when it has none) */
  selected: () => { ID?: string; Tag?: string } | undefined;
  /** Selects the image listed under `tag` as soon as the list has it */
  selectTag: (tag: string) => void;
}

interface Prompt {
  kind: 'pull' | 'tag';
  value: string;
  /** Why Enter did not act on the value; gone with the next edit */
  error?: string;
  /** The image a tag goes on */
  imageId?: string;
}

interface TransferUi {
  prompt: Prompt | undefined;
  transfer: TransferView | undefined;
}

/**
 * The images list's pull (P), tag (t) and push (u): the text boxes asking for a reference,
 * checked before the engine hears of it, and the progress of a pull or push over the whole body.
 * Esc cancels a running transfer (the request is closed, which stops the engine's) and closes a
 * finished one.
 */
export function useImageTransfer({ engine, width, setStatus, selected, selectTag }: ImageTransferInput) {
  const [ui, getUi, setUi] = useLatestState<TransferUi>({ prompt: undefined, transfer: undefined });
  const running = useRef<AbortController | undefined>(undefined);
  /** The stream's latest state, ahead of what is drawn. */
  const latest = useRef<TransferState | undefined>(undefined);

  const shown = ui.transfer !== undefined && ui.transfer.state.outcome === undefined;
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => {
      const transfer = getUi().transfer;
      if (transfer && latest.current && latest.current !== transfer.state) setUi({ transfer: { ...transfer, state: latest.current } });
    }, PROGRESS_REDRAW_MS);
    return () => clearInterval(timer);
  }, [shown]);

  // Leaving dockhand (or this dashboard) must not leave a transfer running unseen.
  useEffect(() => () => running.current?.abort(), []);

  const start = (kind: TransferKind, reference: ImageReference) => {
    const name = familiarReference(reference);
    const controller = new AbortController();
    running.current = controller;
    latest.current = initialTransfer(kind);
    setUi({ transfer: { reference: name, state: latest.current, cancelling: false } });
    void (async () => {
      try {
        const states = await (kind === 'pull' ? engine.pullImage(name, controller.signal) : engine.pushImage(name, controller.signal));
        for await (const state of states) latest.current = state;
      } catch (err) {
        // Aborted before the engine answered: cancelled all the same, not failed.
        latest.current = controller.signal.aborted
          ? finishTransfer(latest.current ?? initialTransfer(kind), true)
          : failedTransfer(kind, toEngineError(err).message, reference.domain);
      }
      if (running.current !== controller) return;
      running.current = undefined;
      const transfer = getUi().transfer;
      if (transfer && latest.current) setUi({ transfer: { ...transfer, state: latest.current } });
      // Pulled by digest, the image is listed under no tag of that name.
      if (kind === 'pull' && latest.current?.outcome?.kind === 'done' && reference.digest === undefined) selectTag(name);
    })();
  };

  /** The reference typed, or why it is not one (in words, for the text box). */
  const parse = (value: string): ImageReference | string => {
    try {
      return parseImageReference(value.trim());
    } catch (err) {
      // The reference is right there in the box: the reason alone says what is wrong with it.
      return err instanceof InvalidReferenceError ? err.reason : String(err);
    }
  };

  const tag = async (imageId: string, reference: ImageReference) => {
    const name = familiarReference(reference);
    try {
      await engine.tagImage(imageId, name);
      setStatus({ text: `Tagged ${shortId(imageId)} as ${name}`, tone: 'info' });
      selectTag(name);
    } catch (err) {
      setStatus({ text: `tag ${name}: ${toEngineError(err).message}`, tone: 'error' });
    }
  };

  const submit = (prompt: Prompt) => {
    const reference = parse(prompt.value);
    if (typeof reference === 'string') return setUi({ prompt: { ...prompt, error: reference } });
    if (prompt.kind === 'tag' && reference.digest !== undefined) return setUi({ prompt: { ...prompt, error: 'a tag cannot hold a digest (@sha256:…)' } });
    setUi({ prompt: undefined });
    if (prompt.kind === 'pull') start('pull', reference);
    else void tag(prompt.imageId ?? '', reference);
  };

  /** Keys of the images list: false for those it leaves to the list. */
  const handleListCommand = (command: CommandId): boolean => {
    if (command !== 'pullImage' && command !== 'tagImage' && command !== 'pushImage') return false;
    setStatus(undefined);
    const image = selected();
    if (command === 'pullImage') return setUi({ prompt: { kind: 'pull', value: image?.Tag ?? '' } }), true;
    if (!image?.ID) return setStatus({ text: 'No image selected', tone: 'info' }), true;
    if (command === 'tagImage') return setUi({ prompt: { kind: 'tag', value: '', imageId: image.ID } }), true;
    if (!image.Tag) {
      const key = keyLabel(keysFor('tagImage', 'images')[0] ?? '');
      return setStatus({ text: `${shortId(image.ID)} has no tag: a push sends a tag, so give it one first (${key})`, tone: 'error' }), true;
    }
    const reference = parse(image.Tag);
    if (typeof reference === 'string') return setStatus({ text: reference, tone: 'error' }), true;
    start('push', reference);
    return true;
  };

  /** Keys while a text box is open (all but Ctrl-C); false when none is. */
  const handleTextKey = (name: string, input: string): boolean => {
    const prompt = getUi().prompt;
    if (!prompt || name === 'ctrl+c') return false;
    const edit = (value: string) => setUi({ prompt: { kind: prompt.kind, value, ...(prompt.imageId ? { imageId: prompt.imageId } : {}) } });
    switch (commandFor(name, ['search'])) {
      case 'searchKeep': submit(prompt); return true;
      case 'searchClear': setUi({ prompt: undefined }); return true;
      case 'searchBackspace': edit([...prompt.value].slice(0, -1).join('')); return true;
      default:
        if ([...input].length === 1 && input >= ' ') edit(prompt.value + input);
        return true;
    }
  };

  const prompt = ui.prompt;
  const textBox = prompt && {
    label: prompt.kind === 'pull' ? 'pull: ' : `tag ${shortId(prompt.imageId ?? '')} as: `,
    value: prompt.value,
    placeholder: prompt.kind === 'pull'
      ? 'image reference, :latest implied; Enter pulls, Esc cancels'
      : 'new reference (registry/repo:tag); Enter tags, Esc cancels',
    ...(prompt.error ? { error: prompt.error } : {}),
  };

  const handleKey = (name: string): boolean => {
    const transfer = getUi().transfer;
    if (!transfer || commandFor(name, ['pane']) !== 'closePane') return false;
    if (transfer.state.outcome === undefined) {
      running.current?.abort();
      setUi({ transfer: { ...transfer, cancelling: true } });
    } else {
      setUi({ transfer: undefined });
    }
    return true;
  };

  const transfer = ui.transfer;
  const pane: CommandOutputPane | undefined = transfer && {
    render: (height) => <ScrollPane lines={transferLines(transfer, width, height)} offset={0} width={width} height={height} />,
    handleKey,
    hints: transfer.state.outcome === undefined
      ? hintLine(['pane'], [['closePane', `cancel the ${transfer.state.kind}`]])
      : hintLine(['global', 'pane'], [['quit', 'quit'], ['closePane', 'close']]),
  };
  return { handleListCommand, handleTextKey, textBox, pane };
}
