// Where webhooks may go: https (http only to loopback in the demo), and in production only public unicast addresses,
// checked after DNS resolution on every connection, with the connection made to the address that was checked.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { WebhookSettings } from './webhook-config.js';

export type TargetPolicy = Pick<WebhookSettings, 'allowPrivateTargets' | 'allowLoopbackHttp'>;

export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

/** The range name of an address as ipaddr.js classifies it ('unicast' for public addresses); IPv4-mapped IPv6 as IPv4. */
function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

const isPublicAddress = (address: string) => addressRange(address) === 'unicast';
const isLoopbackAddress = (address: string) => addressRange(address) === 'loopback';

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');
const isLoopbackHost = (host: string) => host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host));

/** Checks an endpoint URL without resolving it (at creation and before each delivery); throws a sentence. */
export function checkEndpointUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('The endpoint must be an absolute URL such as https://hooks.example.com/click-to-call.');
  }
  if (url.username || url.password) throw new WebhookTargetError('The endpoint URL must not carry a user name or password: put credentials in the URL\'s path or query if your receiver needs them.');
  const host = hostOf(url);
  if (url.protocol === 'http:') {
    if (!(policy.allowLoopbackHttp && isLoopbackHost(host))) {
      throw new WebhookTargetError('The endpoint must use https:// (http:// is allowed only for this machine, in the demo).');
    }
  } else if (url.protocol !== 'https:') {
    throw new WebhookTargetError('The endpoint must use https://.');
  }
  if (isIP(host) !== 0 && !policy.allowPrivateTargets && !isPublicAddress(host)) {
    throw new WebhookTargetError(`The endpoint's address ${host} is not a public internet address (${addressRange(host)}): webhooks go only to public endpoints.`);
  }
  if (!policy.allowPrivateTargets && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw new WebhookTargetError('The endpoint points at this machine (localhost): webhooks go only to public endpoints.');
  }
  return url;
}

/**
 * A dns.lookup for the delivery's connections that refuses non-public addresses (unless allowed): net.connect uses the
 * address it returns, so the address checked is the address connected to (no second resolution to rebind).
 */
export function guardedLookup(policy: TargetPolicy, resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return ((hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]) as LookupAddress[];
      const allowed = policy.allowPrivateTargets ? list : list.filter((a) => isPublicAddress(a.address));
      if (allowed.length === 0) {
        const refused = list.map((a) => `${a.address} (${addressRange(a.address)})`).join(', ');
        const err = new WebhookTargetError(`${hostname} resolves to ${refused || 'no address'}, not a public internet address: the delivery was not sent.`) as NodeJS.ErrnoException;
        err.code = 'EWEBHOOKTARGET';
        return callback(err, '', 0);
      }
      if ((options as { all?: boolean }).all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  }) as LookupFunction;
}
