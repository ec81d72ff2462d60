// "On this page": the numbers the content script offers in the current tab, each one click from a call.
import { useEffect, useState } from 'react';
import type { DialInput, PageNumbers, PopupApi } from './popup-api.js';

export function PageNumbersSection({ api, disabled, onDial }: { api: PopupApi; disabled: boolean; onDial: (input: DialInput) => void }) {
  const [page, setPage] = useState<PageNumbers | null>(null);
  useEffect(() => {
    let alive = true;
    api.listPageNumbers().then(
      (p) => alive && setPage(p),
      () => alive && setPage({ numbers: [] }),
    );
    return () => {
      alive = false;
    };
  }, [api]);

  return (
    <section aria-labelledby="on-this-page">
      <h2 id="on-this-page">On this page</h2>
      {page === null ? (
        <p className="muted">Looking for numbers…</p>
      ) : page.numbers.length === 0 ? (
        <p className="muted">No phone numbers found on this page.</p>
      ) : (
        <ul className="rows" aria-label="Numbers on this page">
          {page.numbers.map((n) => (
            <li key={n.e164} className="row">
              <span>
                {n.text} <span className="muted">{n.e164 !== n.text ? n.e164 : ''}</span>
              </span>
              <button
                type="button"
                aria-label={`Call ${n.text}`}
                disabled={disabled}
                onClick={() => onDial({ to: n.e164, pageUrl: page.pageUrl, pageTitle: page.pageTitle })}
              >
                Call
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
