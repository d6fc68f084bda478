import { PingOneError } from '../errors';
import { cutText } from '../http/url-budget';

/** `scheme://host:port` of a URL, with default ports made explicit so `https://h` and `https://h:443` compare equal. */
function originOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  return `${url.protocol}//${url.hostname.toLowerCase()}:${port}`;
}

/**
 * An absolute URL the client is about to send the bearer token to (a `_links.next.href` PingOne returned, or an
 * href a caller passed to `request()`) must be on the API's own origin: a link elsewhere, whether from a hostile or
 * misconfigured server or a proxy that rewrote it, would hand the access token to that host.
 */
export function assertApiOrigin(href: string, apiUrl: string): void {
  let target: URL;
  try {
    target = new URL(href);
  } catch {
    throw new PingOneError(
      'OFF_ORIGIN_LINK',
      `PingOne returned a link that is not a valid URL (${JSON.stringify(cutText(href))}); the client follows only absolute links on ${new URL(apiUrl).origin}.`,
    );
  }
  const api = new URL(apiUrl);
  if (originOf(target) === originOf(api)) return;
  throw new PingOneError(
    'OFF_ORIGIN_LINK',
    `Refusing to follow a link to ${target.host} (${target.protocol}//${target.host}): the client sends its access token only to the ` +
      `API's own origin, ${api.origin}. If a proxy or gateway rewrites PingOne's links, set apiUrl to the address the links point to.`,
  );
}
