import net from 'node:net';

export class PortInUseError extends Error {
  constructor(readonly service: string, readonly host: string, readonly port: number) {
    super(`Port ${port} on ${host} (${service}) is already in use. Stop whatever uses it or choose another port (see README: configuration).`);
    this.name = 'PortInUseError';
  }
}

function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Checks every port first so the user hears about all of them before anything starts. */
export async function assertPortsFree(ports: Array<{ service: string; host: string; port: number }>): Promise<void> {
  for (const { service, host, port } of ports) {
    if (!(await isPortFree(host, port))) throw new PortInUseError(service, host, port);
  }
}
