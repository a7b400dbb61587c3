/**
 * What every route handler gets: the store, where proxied artifacts live, and the decoded message.
 *
 * @module
 */
import type { ArtifactRepository, TrackingStore } from "../tracking/mod.ts";
import type { MessageDesc, ProtoMessage } from "./request/proto_parse.ts";
import type { Schema } from "./request/schema.ts";

/** Shared state of one server. */
export interface ServerContext {
  store: TrackingStore;
  /** The artifact repository for any artifact URI, `mlflow-artifacts:` ones included. */
  artifactRepository(artifactUri: string): ArtifactRepository;
  /** Local directory behind the `mlflow-artifacts` proxy. */
  artifactsDestination: string;
  /** Server-private records (logged models), outside every tree the API can read or write. */
  stateDir: string;
  /** The server's working directory: relative artifact locations resolve against it. */
  cwd: string;
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
