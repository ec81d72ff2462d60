// A collapsible section of the popup (This page, History, Team): a heading with a button that opens and closes it, and a
// body of bounded height that scrolls on its own, so the sections after it stay in reach.
import { useId, useState, type ReactNode } from 'react';

export function PopupSection({ title, count, defaultOpen = true, children }: { title: string; count?: number | null; defaultOpen?: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 className="section-heading" id={`${id}-heading`}>
        <button type="button" className="section-toggle" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen((o) => !o)}>
          <span className="chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {title}
          {count !== undefined && count !== null && <span className="count"> ({count})</span>}
        </button>
      </h2>
      <div className="section-body" id={`${id}-body`} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
