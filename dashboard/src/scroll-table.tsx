import type { ComponentChildren } from 'preact';

/**
 * A table in a box that scrolls sideways on a narrow screen. The box is a labelled region that
 * takes keyboard focus, so a keyboard can scroll it too (axe asks this of scrollable regions);
 * the caption names the table for screen readers and is shown only when asked.
 */
export function ScrollTable({
  label,
  caption = label,
  captionShown = false,
  class: className,
  children,
}: {
  label: string;
  caption?: ComponentChildren;
  captionShown?: boolean;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table class={className}>
        <caption class={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}
