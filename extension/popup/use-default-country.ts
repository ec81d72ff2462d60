// The options' default country: numbers of it are shown in national format, others in international format.
import { useEffect, useState } from 'react';
import type { PopupApi } from './popup-api.js';

export function useDefaultCountry(api: PopupApi): string {
  const [country, setCountry] = useState('US');
  useEffect(() => {
    let alive = true;
    api.defaultCountry?.().then(
      (c) => alive && setCountry(c),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [api]);
  return country;
}
