import React from 'react';
import { Text } from 'ink';
import { keyLabel, keysFor, type Scope } from './keymap.js';
import { useTheme, type Style } from './theme.js';

/** The keys that answer a confirmation, as the keymap has them now (the configuration may remap them). */
export function answerKeys(scope: Extract<Scope, 'confirm' | 'kill'> = 'confirm'): { yes: string[]; no: string[] } {
  return { yes: keysFor('confirmYes', scope).map(keyLabel), no: keysFor('confirmNo', scope).map(keyLabel) };
}

/** "y yes   n/Esc/Enter no (default)", as plain text. */
export function answerText(): string {
  const { yes, no } = answerKeys();
  return `${yes.join('/')} yes   ${no.join('/')} no (default)`;
}

/** The last line of every confirmation: only the yes keys act. `children` go first (other choices). */
export function AnswerLine({ scope, children }: { scope?: Extract<Scope, 'confirm' | 'kill'>; children?: React.ReactNode }) {
  const { yes, no } = answerKeys(scope);
  const warning = useTheme().style('warning');
  const keyList = (labels: string[], style: Style = {}) => labels.map((label, i) => (
    <React.Fragment key={label}>{i > 0 ? '/' : ''}<Text bold {...style}>{label}</Text></React.Fragment>
  ));
  return (
    <Text wrap="truncate">
      {children}
      {keyList(yes, warning)} yes   {keyList(no)} no (default)
    </Text>
  );
}
