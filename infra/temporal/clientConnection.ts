/**
 * A client connection to Temporal whose retries stay inside each call's deadline and are over before it closes.
 *
 * The SDK's retry interceptor pauses between attempts with a timer (up to 5 s). Two things follow from it: a retry
 * may sleep past the call's deadline only to find it passed, and a timer that fires after the connection closed
 * throws "Channel has been shut down" from nowhere (an uncaught exception, once seen in CI after an outage test).
 * Here each call keeps the SDK's retry rules, a pause never runs past the call's deadline, no retry starts once
 * closing began, and closing waits for the pauses already running (5 s at most).
 */
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions, type GrpcRetryOptions } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];
type Deadline = Date | number | undefined;

export interface ClientConnection {
  readonly connection: Connection;
  /** Lets no retry start, waits for the retry pauses running now, then closes the connection. */
  close(): Promise<void>;
}

export async function connectClient(options: ConnectionOptions): Promise<ClientConnection> {
  const retries = new DeadlineBoundRetries();
  const connection = await Connection.connect({ ...options, interceptors: [...(options.interceptors ?? []), retries.interceptor] });
  return {
    connection,
    close: async () => {
      await retries.end();
      await connection.close();
    },
  };
}

/** The SDK's retry rules, bounded by the call's deadline, counting the pauses so that closing can wait for them. */
class DeadlineBoundRetries {
  private pausing = 0;
  private ending = false;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly base: GrpcRetryOptions = defaultGrpcRetryOptions()) {}

  readonly interceptor: Interceptor = (options, nextCall) => {
    const deadline = millisOf(options.deadline);
    let attempts = 0;
    const retryOptions: GrpcRetryOptions = {
      retryableDecider: (attempt, status) => {
        const retry = !this.ending && Date.now() < deadline && this.base.retryableDecider(attempt, status);
        if (retry) this.pausing++; // the SDK schedules the next attempt right after a yes
        return retry;
      },
      delayFunction: (attempt, status) => Math.max(0, Math.min(this.base.delayFunction(attempt, status), deadline - Date.now())),
    };
    const counted: typeof nextCall = (callOptions) => {
      if (attempts++ > 0) this.pauseOver();
      return nextCall(callOptions);
    };
    return makeGrpcRetryInterceptor(retryOptions)(options, counted);
  };

  /** Resolves once no retry pause is running; none starts from now on. */
  end(): Promise<void> {
    this.ending = true;
    if (this.pausing === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pauseOver(): void {
    this.pausing--;
    if (this.pausing > 0) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

function millisOf(deadline: Deadline): number {
  if (deadline === undefined) return Infinity;
  return deadline instanceof Date ? deadline.getTime() : deadline;
}
