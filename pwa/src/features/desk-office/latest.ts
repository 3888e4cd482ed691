import { useRef } from 'preact/hooks';

/**
 * Only the newest of overlapping loads may land: a slow unfiltered first load
 * must not overwrite the filtered list asked for after it. `begin()` returns a
 * check that is true while no later load has begun.
 */
export function useLatest(): () => () => boolean {
  const seq = useRef(0);
  return () => {
    const mine = ++seq.current;
    return () => seq.current === mine;
  };
}
