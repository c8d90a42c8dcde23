// The data the engine room hands to the rest of dockhand. Views never see dockerode's shapes.

/** Where the Docker CLI would connect, and why it chose that place. */
export interface Endpoint {
  /** The URL as the user would write it: unix:///var/run/docker.sock, tcp://host:2376 */
  url: string;
  kind: 'unix' | 'tcp' | 'ssh';
  /** unix: the socket; ssh: the remote socket, when the URL names one */
  socketPath?: string;
  /** tcp and ssh */
  hostname?: string;
  port?: number;
  /** ssh only */
  username?: string;
  /** tcp only: present when the connection uses TLS */
  tls?: TlsFiles;
  /** The Docker context this endpoint came from ('default' when none was named). */
  contextName: string;
  /** Which rule of the CLI's precedence picked it. */
  source: EndpointSource;
  /** --read-only: nothing reaching this endpoint may change the engine (see read-only.ts). */
  readOnly?: boolean;
  /** The Docker config directory it was resolved in, whose config.json has the registry credentials. */
  configDir?: string;
}

export type EndpointSource =
  | '--context'
  | '--host'
  | 'DOCKER_HOST'
  | 'DOCKER_CONTEXT'
  | 'config.json'
  | 'default'
  /** Nothing named an engine and none answered at the default socket; Podman's did (podman-socket.ts). */
  | 'podman socket';

export interface TlsFiles {
  /** Paths; a missing file is left undefined rather than guessed. */
  ca?: string;
  cert?: string;
  key?: string;
  /** false when the context says SkipTLSVerify, or TLS is on (DOCKER_TLS, https://, port 2376) without DOCKER_TLS_VERIFY */
  verify: boolean;
}

export interface EngineInfo {
  endpoint: Endpoint;
  /** Engine version as reported, e.g. 20.10.24 */
  serverVersion: string;
  /** The API version the server speaks at most */
  serverApiVersion: string;
  /** The API version dockhand pinned after negotiation */
  apiVersion: string;
  /** 'Docker Engine' or 'Podman Engine' */
  product: string;
  os: string;
  arch: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export type Health = 'healthy' | 'unhealthy' | 'starting' | undefined;

export interface PortMapping {
  privatePort: number;
  publicPort?: number;
  ip?: string;
  type: string;
}

export interface ContainerRow {
  id: string;
  name: string;
  image: string;
  command: string;
  state: ContainerState;
  /** The engine's human status, e.g. "Up 3 minutes (healthy)" */
  status: string;
  /** Parsed from the status of exited containers */
  exitCode?: number;
  health: Health;
  /** Seconds since epoch */
  created: number;
  ports: PortMapping[];
  labels: Record<string, string>;
  /** com.docker.compose.project */
  project?: string;
  /** com.docker.compose.service */
  service?: string;
  /** Exited with 137 because the kernel's OOM killer ended it (the list alone cannot tell) */
  oomKilled?: boolean;
  /** In a fleet: the host it runs on (its id then carries the host too) */
  host?: string;
  /** Podman: the name of the pod it belongs to (only Podman's own API says) */
  pod?: string;
}

export interface MountInfo {
  type: string;
  source: string;
  destination: string;
  rw: boolean;
}

export interface HealthProbe {
  start: string;
  end: string;
  /** -1 when the probe timed out */
  exitCode: number;
  output: string;
}

export interface NetworkAttachment {
  name: string;
  ipAddress: string;
  gateway: string;
  macAddress: string;
}

export interface ResourceLimits {
  /** Bytes; 0 = unlimited */
  memory: number;
  /** CPUs as a fraction (NanoCpus / 1e9); 0 = unlimited */
  cpus: number;
  cpuShares: number;
  /** 0 or negative = unlimited */
  pidsLimit: number;
}

export interface ContainerDetails {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  entrypoint: string;
  created: string;
  state: ContainerState;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  health: Health;
  startedAt: string;
  finishedAt: string;
  restartCount: number;
  restartPolicy: string;
  ports: PortMapping[];
  mounts: MountInfo[];
  labels: Record<string, string>;
  tty: boolean;
  openStdin: boolean;
  /** KEY=VALUE as the engine stores them; views mask the secret-looking ones */
  env: string[];
  healthFailingStreak: number;
  /** The engine keeps the last five probes, oldest first */
  healthLog: HealthProbe[];
  networks: NetworkAttachment[];
  limits: ResourceLimits;
  /** The whole inspect document, for the Inspect tab */
  raw: Record<string, unknown>;
}

/** `GET /containers/ID/top`: ps columns and rows. */
export interface ProcessTable {
  titles: string[];
  processes: string[][];
}

/** Figures computed as `docker stats` computes them. */
export interface StatsFigures {
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  memoryPercent: number;
  pids: number;
}

export type ConnectionState =
  | { status: 'connected' }
  | { status: 'reconnecting'; reason: string; attempt: number; nextRetryMs: number };

export interface EngineEvent {
  type: string;
  action: string;
  id: string;
  attributes: Record<string, string>;
  /** Seconds since epoch */
  time: number;
  timeNano: string;
  /** In a fleet: the host whose engine reported it (its container ids carry the host too) */
  host?: string;
}

export type KillSignal = 'SIGKILL' | 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT' | 'SIGUSR1' | 'SIGUSR2';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove';

export interface RemoveOptions {
  force: boolean;
  removeVolumes: boolean;
}
