import { ForbiddenException, UnsupportedMediaTypeException, type CanActivate, type ExecutionContext } from '@nestjs/common';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface RequestHeaders {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const header = (req: RequestHeaders, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The plan page shows directory data, so only a page this app served on this machine may read it. A web page
 * elsewhere could reach 127.0.0.1 by DNS rebinding (its own host name, resolving here): its requests carry that
 * name as Host, so only 127.0.0.1, localhost and [::1] pass. A cross-site request (Origin of another host, or
 * Sec-Fetch-Site: cross-site) is refused too, and a POST that is not JSON. The app listens on 127.0.0.1 only (main.ts).
 */
export class LocalPageGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RequestHeaders>();
    const host = header(req, 'host') ?? '';
    const name = host.replace(/:\d+$/, '');
    if (!LOCAL_HOSTS.has(name))
      throw new ForbiddenException(
        `The plan page answers only at http://127.0.0.1 or http://localhost (this request named host ${JSON.stringify(host.slice(0, 100))}).`,
      );
    const origin = header(req, 'origin');
    if (origin !== undefined && origin !== `http://${host}`)
      throw new ForbiddenException('The plan page answers only requests from its own page (the Origin is another site).');
    if (header(req, 'sec-fetch-site') === 'cross-site')
      throw new ForbiddenException('The plan page answers only requests from its own page (Sec-Fetch-Site: cross-site).');
    // a form on another site can post urlencoded text without asking; JSON needs a preflight nobody answers
    if (req.method === 'POST' && !/^application\/json\b/i.test(header(req, 'content-type') ?? '')) {
      throw new UnsupportedMediaTypeException('Send the statement as JSON: {"sql": "SELECT …"} with Content-Type: application/json.');
    }
    return true;
  }
}
