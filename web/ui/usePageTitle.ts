import { useEffect } from 'react';

/** The browser tab names the page (RGAA 8.6): « Ménages — Lien ». */
export function usePageTitle(page: string | null | undefined) {
  useEffect(() => {
    document.title = page ? `${page} — Lien` : 'Lien';
  }, [page]);
}
