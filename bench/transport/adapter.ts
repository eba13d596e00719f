import {
  AsyncHostService,
  type HealthStatus,
  type HttpTransportChoice,
  type InProcessTransportChoice,
  retryInterceptor,
} from '@ktrdr/core';
import { benchContract, benchInput } from './service';

/**
 * The path every adapter's calls take: the transport the selector builds, inside the interceptor
 * chain adapters run (call statistics outermost, a per-call retry policy, and, over HTTP, bearer
 * auth). Timed beside the bare transport, it shows what the chain costs per call.
 */
export class BenchAdapter extends AsyncHostService {
  private readonly client = this.clientFor(benchContract);

  constructor(choice: HttpTransportChoice | InProcessTransportChoice) {
    super(benchContract.name, choice, [
      retryInterceptor((request) => (request.path === '/bars' ? 0 : undefined)),
    ]);
  }

  echo(): Promise<unknown> {
    return this.client.echo(benchInput);
  }

  async healthCheck(): Promise<HealthStatus> {
    return { healthy: true, service: this.serviceName, mode: this.transport.kind };
  }
}
