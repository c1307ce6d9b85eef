import { useEffect, useState } from 'preact/hooks';

/** The app's path below /dashboard/ ("usage", "invoices", "invoices/in_…"), from the History API. */
const BASE = import.meta.env.BASE_URL;

export function currentRoute(): string {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length).replace(/\/$/, '') : '';
}

export function navigate(route: string): void {
  window.history.pushState(null, '', `${BASE}${route}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** Props of an in-app link: a real href (open in a new tab works) that navigates without a reload. */
export function linkTo(route: string) {
  return {
    href: `${BASE}${route}`,
    onClick: (event: MouseEvent) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(route);
    },
  };
}
