/**
 * The one way kmlf shows a URI that may carry credentials (a tracking URI, a server URL in an error):
 * the password masked, whether it is in the user info (`postgresql://u:secret@h/db`,
 * `http://u:secret@h:5000`) or a libpq query parameter (`?password=secret`, `?sslpassword=`).
 *
 * @module
 */

const SECRET_PARAMS = /([?&](?:password|sslpassword)=)[^&#]*/gi;

/**
 * `uri` with its password masked as `***`; the user stays unless it holds URL delimiters (or stands
 * alone in a non-PostgreSQL URI, where it is usually a token). A PostgreSQL
 * URI's user info ends at its last `@` (as libpq reads a password holding `@` or `/`); other URIs' at
 * the first `/`, so a path holding `@` (an artifact name) is left alone. Works on URIs a URL parser
 * refuses, since those are the ones error messages name.
 *
 * @example
 * ```ts
 * maskUriCredentials("postgresql://mlflow:s3cret@db:5432/mlflow"); // "postgresql://mlflow:***@db:5432/mlflow"
 * maskUriCredentials("http://bob:s3cret@host:5000/api"); // "http://bob:***@host:5000/api"
 * maskUriCredentials("postgresql://mlflow@db/mlflow?password=s3cret"); // "…/mlflow?password=***"
 * ```
 */
export function maskUriCredentials(uri: string): string {
  const m = uri.match(/^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is);
  if (!m) return uri;
  const [, scheme, rest] = m;
  const postgres = /^postgres/i.test(scheme);
  // A PostgreSQL URI refused for its shape may hold ? or # in its password: its user info ends at the
  // last @ of all. Other URIs' end with their authority.
  const authority = postgres ? rest.length : rest.search(/[/?#]/) < 0 ? rest.length : rest.search(/[/?#]/);
  const at = rest.lastIndexOf("@", authority - 1);
  let shown = rest;
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    const user = userInfo.split(":")[0];
    const hasPassword = userInfo.includes(":");
    // A user alone in an http(s) URL is often a token (https://<token>@host).
    const shownUser = /^[^/?#]*$/.test(user) && (postgres || hasPassword) ? user : "***";
    shown = `${hasPassword ? `${shownUser}:***` : shownUser}${rest.slice(at)}`;
  }
  return scheme + shown.replace(SECRET_PARAMS, "$1***");
}
