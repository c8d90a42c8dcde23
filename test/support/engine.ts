import { connect } from '../../src/engine/connect.js';
import type { Engine } from '../../src/engine/engine.js';
import { resolveEndpoint } from '../../src/engine/endpoint.js';
import { requireEngine } from './docker.js';

/** dockhand's engine room on the test engine, reached as a user with no config of their own would. */
export async function connectTestEngine(): Promise<Engine> {
  await requireEngine();
  return connect(resolveEndpoint({ env: process.env, homeDir: '/nonexistent' }));
}
