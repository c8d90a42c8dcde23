/** The lists `1`…`7` and Tab switch between, in that order. */
export const VIEWS = ['containers', 'images', 'volumes', 'networks', 'projects', 'services', 'nodes'] as const;
export type ViewId = (typeof VIEWS)[number];
