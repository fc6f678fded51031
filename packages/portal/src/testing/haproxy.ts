import { createServer, type AddressInfo } from 'node:net';

/** The HAProxy the system tests put in front of portals and apps (Debian's, or HAPROXY_PATH). */
export const haproxyBin = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

/** A port nobody listens on right now (the kernel's pick; ephemeral ports avoid fetch's "bad ports"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
