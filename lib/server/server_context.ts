/**
 * What every route handler gets: the store, where proxied artifacts live, and the decoded message.
 *
 * @module
 */
import type { ArtifactRepository, TrackingStore } from "../tracking/mod.ts";
import type { RequestMessage } from "./request_message.ts";

/** Shared state of one server. */
export interface ServerContext {
  store: TrackingStore;
  /** The artifact repository for any artifact URI, `mlflow-artifacts:` ones included. */
  artifactRepository(artifactUri: string): ArtifactRepository;
  /** Local directory behind the `mlflow-artifacts` proxy. */
  artifactsDestination: string;
  /** Server-private records (logged models), outside every tree the API can read or write. */
  stateDir: string;
}

/** One RPC: decoded message in, JSON body out. */
export type RpcHandler = (ctx: ServerContext, msg: RequestMessage) => Promise<unknown>;

/** An RPC and the HTTP methods it answers. */
export interface Rpc {
  methods: readonly string[];
  handle: RpcHandler;
}
