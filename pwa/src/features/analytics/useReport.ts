import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../../graphql/client';
import type { TypedDocumentString } from '../../graphql/generated/graphql';
import { failureCode } from '../desk/common';

/**
 * Load a report when its variables change; an answer to older variables that
 * arrives late is dropped, so a quick change of filters never shows stale rows.
 */
export function useReport<R, V>(document: TypedDocumentString<R, V>, variables: V) {
  const [state, setState] = useState<{ data: R | null; error: string | null }>({ data: null, error: null });
  const seq = useRef(0);
  const key = JSON.stringify(variables);
  const run = () => {
    const mine = ++seq.current;
    setState({ data: null, error: null });
    gql(document, variables)
      .then((data) => mine === seq.current && setState({ data, error: null }))
      .catch((e) => mine === seq.current && setState({ data: null, error: failureCode(e) }));
  };
  useEffect(() => {
    run();
    // Unmounted or changed: whatever is still on its way is dropped.
    return () => {
      seq.current += 1;
    };
  }, [document, key]);
  return { ...state, reload: run };
}
