import os from 'node:os';
import { useEffect, useRef } from 'react';
import { BuildContextError, BuildRun, dockerBuildArgs, resolveDockerfile, type BuildOutcome } from '../engine/build.js';
import type { Engine } from '../engine/engine.js';
import type { OutputRun } from '../engine/output-log.js';
import { toEngineError } from '../engine/errors.js';
import { familiarReference, InvalidReferenceError, parseImageReference, type ImageReference } from '../engine/image-reference.js';
import { failedTransfer, finishTransfer, initialTransfer, type TransferKind, type TransferState } from '../engine/pull-progress.js';
import type { StatusMessage } from '../hooks/useContainerActions.js';
import { useLatestState } from '../hooks/useLatestState.js';
import { shortId } from './format.js';
import { commandFor, hintLine, keyLabel, keysFor, type CommandId } from './keymap.js';
import { ScrollPane } from './ScrollPane.js';
import { backspaced, typed } from './text-edit.js';
import type { RunWords } from './project-lines.js';
import { buildWords, contextDirectory, defaultBuildTag, transferLines, type TransferView } from './transfer-lines.js';
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
  /** Shows a build's output in the output pane (useCommandRun's follow) */
  followBuild: (argv: readonly string[], run: OutputRun<BuildOutcome>, words: RunWords<BuildOutcome>, onDone: (outcome: BuildOutcome) => void) => void;
  /** Where a build's directory is taken from when none is typed, and `~` */
  cwd?: string;
  home?: string;
}

interface Prompt {
  /** A build asks for its directory, then for its tag. */
  kind: 'pull' | 'tag' | 'buildDirectory' | 'buildTag';
  value: string;
  /** Why Enter did not act on the value; gone with the next edit */
  error?: string;
  /** The image a tag goes on */
  imageId?: string;
  /** The context of a build, once chosen, and its Dockerfile there */
  contextDir?: string;
  dockerfile?: string;
}

const PROMPT_WORDS: Record<Prompt['kind'], { label: (prompt: Prompt) => string; placeholder: string }> = {
  pull: { label: () => 'pull: ', placeholder: 'image reference, :latest implied; Enter pulls, Esc cancels' },
  tag: { label: (prompt) => `tag ${shortId(prompt.imageId ?? '')} as: `, placeholder: 'new reference (registry/repo:tag); Enter tags, Esc cancels' },
  buildDirectory: { label: () => 'build from: ', placeholder: 'a directory with a Dockerfile (. is where dockhand started); Enter, Esc cancels' },
  buildTag: { label: () => 'tag the build as: ', placeholder: 'repo:tag for the built image; Enter builds, Esc cancels' },
};

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
export function useImageTransfer({ engine, width, setStatus, selected, selectTag, followBuild, cwd = process.cwd(), home = os.homedir() }: ImageTransferInput) {
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

  /** Resolves with whether the transfer went through (false when it failed or was cancelled). */
  const start = (kind: TransferKind, reference: ImageReference): Promise<boolean> => {
    const name = familiarReference(reference);
    const controller = new AbortController();
    running.current = controller;
    latest.current = initialTransfer(kind);
    setUi({ transfer: { reference: name, state: latest.current, cancelling: false } });
    return (async () => {
      try {
        const states = await (kind === 'pull' ? engine.pullImage(name, controller.signal) : engine.pushImage(name, controller.signal));
        for await (const state of states) latest.current = state;
      } catch (err) {
        // Aborted before the engine answered: cancelled all the same, not failed.
        latest.current = controller.signal.aborted
          ? finishTransfer(latest.current ?? initialTransfer(kind), true)
          : failedTransfer(kind, toEngineError(err).message, reference.domain);
      }
      const done = latest.current?.outcome?.kind === 'done';
      if (running.current !== controller) return done;
      running.current = undefined;
      const transfer = getUi().transfer;
      if (transfer && latest.current) setUi({ transfer: { ...transfer, state: latest.current } });
      // Pulled by digest, the image is listed under no tag of that name.
      if (kind === 'pull' && done && reference.digest === undefined) selectTag(name);
      return done;
    })();
  };

  /**
   * `docker run`'s pull of an image not here yet: the same progress view, which closes by itself
   * once the image is in (the run goes on) and stays with the reason when it is not.
   */
  const pullForRun = async (image: string): Promise<boolean> => {
    const reference = parse(image);
    if (typeof reference === 'string') return setStatus({ text: `${image}: ${reference}`, tone: 'error' }), false;
    const done = await start('pull', reference);
    if (done) setUi({ transfer: undefined });
    return done;
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

  /** The directory typed is checked for a Dockerfile before the tag is asked for. */
  const chooseContext = async (prompt: Prompt) => {
    const contextDir = contextDirectory(prompt.value, cwd, home);
    try {
      const dockerfile = await resolveDockerfile(contextDir);
      setUi({ prompt: { kind: 'buildTag', value: defaultBuildTag(contextDir), contextDir, dockerfile } });
    } catch (err) {
      setUi({ prompt: { ...prompt, error: err instanceof BuildContextError ? err.message : String(err) } });
    }
  };

  const build = (contextDir: string, tag: string) => {
    const options = { tag };
    followBuild(
      dockerBuildArgs(contextDir, options),
      new BuildRun((signal) => engine.buildImage(contextDir, options, signal)),
      buildWords(tag),
      (outcome) => {
        if (outcome.status === 'built') selectTag(tag);
      },
    );
  };

  const submit = (prompt: Prompt) => {
    if (prompt.kind === 'buildDirectory') return void chooseContext(prompt);
    const reference = parse(prompt.value);
    if (typeof reference === 'string') return setUi({ prompt: { ...prompt, error: reference } });
    if ((prompt.kind === 'tag' || prompt.kind === 'buildTag') && reference.digest !== undefined) return setUi({ prompt: { ...prompt, error: 'a tag cannot hold a digest (@sha256:…)' } });
    setUi({ prompt: undefined });
    if (prompt.kind === 'pull') void start('pull', reference);
    else if (prompt.kind === 'buildTag') build(prompt.contextDir ?? cwd, familiarReference(reference));
    else void tag(prompt.imageId ?? '', reference);
  };

  /** Keys of the images list: false for those it leaves to the list. */
  const handleListCommand = (command: CommandId): boolean => {
    if (command !== 'pullImage' && command !== 'tagImage' && command !== 'pushImage' && command !== 'buildImage') return false;
    setStatus(undefined);
    if (command === 'buildImage') return setUi({ prompt: { kind: 'buildDirectory', value: '.' } }), true;
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
    void start('push', reference);
    return true;
  };

  /** Keys while a text box is open (all but Ctrl-C); false when none is. */
  const handleTextKey = (name: string, input: string): boolean => {
    const prompt = getUi().prompt;
    if (!prompt || name === 'ctrl+c') return false;
    const { error: _shown, ...kept } = prompt;
    const edit = (value: string) => setUi({ prompt: { ...kept, value } });
    switch (commandFor(name, ['search'])) {
      case 'searchKeep': submit(prompt); return true;
      case 'searchClear': setUi({ prompt: undefined }); return true;
      case 'searchBackspace': edit(backspaced(prompt.value)); return true;
      default: edit(typed(prompt.value, input)); return true;
    }
  };

  const prompt = ui.prompt;
  const textBox = prompt && {
    label: PROMPT_WORDS[prompt.kind].label(prompt),
    value: prompt.value,
    placeholder: PROMPT_WORDS[prompt.kind].placeholder,
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
  return { handleListCommand, handleTextKey, textBox, pane, pullForRun };
}
