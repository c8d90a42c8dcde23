import { useCallback, useRef, useState } from 'react';

/**
 * State whose newest value can be read synchronously. Ink delivers every key of one input chunk
 * (a paste, or keys typed faster than a frame) in a single loop, before React re-renders: a key
 * handler reading ordinary state would see the value from before the previous key.
 */
export function useLatestState<T>(initial: T): [T, () => T, (update: Partial<T> | ((current: T) => Partial<T>)) => void] {
  const ref = useRef(initial);
  const [, setVersion] = useState(0);
  const get = useCallback(() => ref.current, []);
  const set = useCallback((update: Partial<T> | ((current: T) => Partial<T>)) => {
    const patch = typeof update === 'function' ? update(ref.current) : update;
    ref.current = { ...ref.current, ...patch };
    setVersion((v) => v + 1);
  }, []);
  return [ref.current, get, set];
}
