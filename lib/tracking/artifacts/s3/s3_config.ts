/**
 * Where and as whom kmlf talks to S3, read the way MLflow's S3 artifact repository (boto3) reads it:
 * `MLFLOW_S3_ENDPOINT_URL` (an S3-compatible server such as MinIO), credentials from
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, else the shared credentials file
 * (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`, profile `AWS_PROFILE` or `default`),
 * the region from `AWS_DEFAULT_REGION` (else `AWS_REGION`, the profile's `region` in `~/.aws/config`,
 * `us-east-1`), and `MLFLOW_S3_UPLOAD_EXTRA_ARGS` (`ServerSideEncryption`, `SSEKMSKeyId`, `ACL`).
 *
 * @module
 */
import { join } from "../../../path.ts";
import { TrackingError } from "../../../errors.ts";

/** Everything an S3 request needs besides the bucket and key. */
export interface S3Config {
  /** `MLFLOW_S3_ENDPOINT_URL` without a trailing slash; undefined = AWS itself. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Extra headers on uploads, from `MLFLOW_S3_UPLOAD_EXTRA_ARGS`. */
  uploadHeaders: Record<string, string>;
}

/** Reads an environment variable; tests pass their own. */
export type EnvReader = (name: string) => string | undefined;

const EXTRA_ARGS: Record<string, string> = {
  ServerSideEncryption: "x-amz-server-side-encryption",
  SSEKMSKeyId: "x-amz-server-side-encryption-aws-kms-key-id",
  ACL: "x-amz-acl",
};

/** An INI file as `{section: {key: value}}` (the AWS shared files' format); missing → `{}`. */
function readIni(path: string): Record<string, Record<string, string>> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return {};
  }
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = line.match(/^\[\s*(.+?)\s*\]$/);
    if (header) {
      current = sections[header[1]] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (current && eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}

/**
 * The S3 configuration from the environment (and the AWS shared files).
 *
 * @example
 * ```ts
 * const config = s3ConfigFromEnv((name) => Deno.env.get(name));
 * ```
 */
export function s3ConfigFromEnv(env: EnvReader): S3Config {
  const home = env("HOME") ?? "";
  const profile = env("AWS_PROFILE") ?? "default";
  const shared = readIni(env("AWS_SHARED_CREDENTIALS_FILE") ?? join(home, ".aws", "credentials"))[profile] ??
    {};
  const configFile = readIni(env("AWS_CONFIG_FILE") ?? join(home, ".aws", "config"));
  const profileConfig = configFile[profile === "default" ? "default" : `profile ${profile}`] ?? {};
  const fromEnv = env("AWS_ACCESS_KEY_ID") !== undefined;
  const accessKeyId = fromEnv ? env("AWS_ACCESS_KEY_ID") : shared.aws_access_key_id;
  const secretAccessKey = fromEnv ? env("AWS_SECRET_ACCESS_KEY") : shared.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) {
    throw new TrackingError(
      "tracking/s3-credentials",
      "Cannot use S3 artifacts: no AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, " +
        `and the shared credentials file has no profile "${profile}" with aws_access_key_id)`,
      {
        hint:
          "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and MLFLOW_S3_ENDPOINT_URL for MinIO and the like)",
      },
    );
  }
  return {
    endpoint: endpointUrl(env("MLFLOW_S3_ENDPOINT_URL")),
    region: env("AWS_DEFAULT_REGION") || env("AWS_REGION") || profileConfig.region || "us-east-1",
    accessKeyId,
    secretAccessKey,
    sessionToken: (fromEnv ? env("AWS_SESSION_TOKEN") : shared.aws_session_token) || undefined,
    uploadHeaders: uploadHeaders(env("MLFLOW_S3_UPLOAD_EXTRA_ARGS")),
  };
}

/** `MLFLOW_S3_ENDPOINT_URL` without its trailing slash; refused unless an http(s) URL (boto3 refuses it too). */
function endpointUrl(value: string | undefined): string | undefined {
  const endpoint = value?.trim().replace(/\/+$/, "");
  if (!endpoint) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch { /* reported below */ }
  if (url && (url.protocol === "http:" || url.protocol === "https:") && url.hostname && !url.search) {
    return endpoint;
  }
  throw new TrackingError(
    "tracking/s3-endpoint",
    `Cannot use MLFLOW_S3_ENDPOINT_URL="${value}": it must be an http:// or https:// URL of the S3 server`,
    {
      hint:
        "e.g. export MLFLOW_S3_ENDPOINT_URL=http://minio:9000 (scheme, host and port; no bucket, no query)",
    },
  );
}

function uploadHeaders(json: string | undefined): Record<string, string> {
  if (!json) return {};
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch (error) {
    throw new TrackingError("tracking/s3-extra-args", "Cannot read MLFLOW_S3_UPLOAD_EXTRA_ARGS: not JSON", {
      cause: error,
      hint: 'e.g. MLFLOW_S3_UPLOAD_EXTRA_ARGS=\'{"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "1234"}\'',
    });
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (!(key in EXTRA_ARGS)) {
      throw new TrackingError(
        "tracking/s3-extra-args",
        `Cannot use MLFLOW_S3_UPLOAD_EXTRA_ARGS key "${key}": kmlf supports ${
          Object.keys(EXTRA_ARGS).join(", ")
        }`,
        { hint: "remove the key, or set it on the bucket (default encryption, bucket policy)" },
      );
    }
    headers[EXTRA_ARGS[key]] = String(value);
  }
  return headers;
}
