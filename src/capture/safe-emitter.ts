/**
 * A small typed event emitter whose listeners cannot hurt the emitter: an exception thrown by a
 * listener is caught, handed to `onListenerError` (which logs and counts) and the remaining
 * listeners still run. The capture layer must keep reading the link whatever a consumer does.
 */
/** Event name -> listener arguments. */
export type EventMap<E> = { [K in keyof E]: unknown[] };
export type Listener<A extends unknown[]> = (...args: A) => void;

export class SafeEmitter<E extends EventMap<E>> {
  private readonly listeners = new Map<keyof E, Array<Listener<never[]>>>();

  constructor(private readonly onListenerError: (event: string, err: unknown) => void) {}

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const list = this.listeners.get(event) ?? [];
    // A new array, so a listener added during an emit does not run in that emit.
    this.listeners.set(event, [...list, listener as unknown as Listener<never[]>]);
    return this;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const list = this.listeners.get(event);
    if (list === undefined) return this;
    const index = list.indexOf(listener as unknown as Listener<never[]>);
    if (index >= 0) this.listeners.set(event, [...list.slice(0, index), ...list.slice(index + 1)]);
    return this;
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): this {
    const wrapper: Listener<E[K]> = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    for (const listener of list) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (err) {
        this.onListenerError(String(event), err);
      }
    }
  }
}
