/** The lists `1`…`8` and Tab switch between, in that order. */
export const VIEWS = ['containers', 'images', 'volumes', 'networks', 'projects', 'services', 'nodes', 'events'] as const;
export type ViewId = (typeof VIEWS)[number];
