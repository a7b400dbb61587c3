/**
 * What every route handler gets: the store, where proxied artifacts live, and the decoded message.
 *
 * @module
 */
import type { ArtifactRepository, FileInfo, TrackingStore } from "../tracking/mod.ts";
import type { MessageDesc, ProtoMessage } from "./request/proto_parse.ts";
import type { Schema } from "./request/schema.ts";
import type { ArtifactRoots } from "./artifact_location_rule.ts";

/** Shared state of one server. */
export interface ServerContext {
  store: TrackingStore;
  /**
   * The artifact repository for any artifact URI, `mlflow-artifacts:` ones included; one outside
   * {@link servedRoots} is refused (`refusingUnreadableRoots`).
   */
  artifactRepository(artifactUri: string): ArtifactRepository;
  /** Local directory (or remote store, `s3://…`) behind the `mlflow-artifacts` proxy. */
  artifactsDestination: string;
  /** Where the proxy reads and writes: {@link artifactsDestination} as files or as a remote store. */
  proxyDestination: ProxyDestination;
  /** Server-private records (logged models), outside every tree the API can read or write. */
  stateDir: string;
  /**
   * The server's artifact roots (the destination, the store's default root, `--allowed-artifact-roots`):
   * where a client may put an experiment's local location (`artifact_location_rule.ts`).
   */
  artifactRoots: ArtifactRoots;
  /**
   * {@link artifactRoots} and the folders the store keeps its own runs in: where the server itself reads
   * and writes artifacts (`servesArtifactUri`), local or remote.
   */
  servedRoots: ArtifactRoots;
  /** The server's working directory: relative artifact locations resolve against it. */
  cwd: string;
}

/**
 * The storage behind the `mlflow-artifacts` proxy. Paths are relative and already checked with
 * MLflow's rules (`validateArtifactPathParam`); each implementation answers like the local folder
 * does: a missing file is RESOURCE_DOES_NOT_EXIST, a folder downloaded is INVALID_PARAMETER_VALUE.
 */
export interface ProxyDestination {
  /** The entries directly below `path` (the root when undefined), named by basename. */
  list(path: string | undefined): Promise<FileInfo[]>;
  /** One file as a download response. */
  send(relPath: string, request?: Request): Promise<Response>;
  /** Stores the request body at `relPath`, refusing more than `maxBytes`. */
  upload(request: Request, relPath: string, maxBytes: number): Promise<void>;
  /** Deletes a file or a folder with everything below it (a missing path is fine). */
  remove(relPath: string): Promise<void>;
}

/** One RPC: decoded message (and the raw query, which a few handlers read) in, JSON body out. */
export type RpcHandler = (
  ctx: ServerContext,
  message: ProtoMessage,
  query: URLSearchParams,
) => Promise<unknown>;

/** An RPC: the HTTP methods it answers, its request message and schema, its handler. */
export interface Rpc {
  methods: readonly string[];
  desc: MessageDesc;
  schema: Schema;
  /** Fields whose unparseable values do not refuse the request (see `decodeRequest`). */
  lenient?: readonly string[];
  handle: RpcHandler;
}
