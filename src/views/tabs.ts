// The main pane's tabs, in the order `[` and `]` cycle through them.
export const TABS = [
  { id: 'overview', title: 'Overview' },
  { id: 'logs', title: 'Logs' },
  { id: 'stats', title: 'Stats' },
  { id: 'inspect', title: 'Inspect' },
  { id: 'env', title: 'Env' },
  { id: 'top', title: 'Top' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

export function nextTab(current: TabId, step: 1 | -1): TabId {
  const index = TABS.findIndex((tab) => tab.id === current);
  return TABS[(index + step + TABS.length) % TABS.length]?.id ?? 'overview';
}
