/**
 * « Mes documents » (issue 16): the documents the landlord made available (only clean files; a
 * short-lived link is asked for at the moment of the download) and those it asked for (send a
 * file; the status, and the reason when it is to redo). Phone first, plain HTML.
 */
import { useCallback, useEffect, useState } from 'react';
import { plural } from '../../contracts/plural.ts';
import { type DocumentKind, type DocumentRequestStatus, documentKindLabels, documentRequestStatusLabels } from '../../contracts/portal-labels.ts';
import { api, upload } from './api.ts';
import { messageOf, useAction } from './use-action.ts';

type FileState = { id: string; name: string; scanStatus: 'pending' | 'clean' | 'infected' };
type Published = { id: string; kind: DocumentKind; title: string; publishedAt: string; fileName: string };
type Asked = {
  id: string;
  label: string;
  note: string | null;
  dueOn: string | null;
  askedAt: string;
  status: DocumentRequestStatus;
  redoReason: string | null;
  uploads: { at: string; file: FileState }[];
};

const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const on = (iso: string) => date.format(new Date(iso));
const day = (ymd: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${ymd}T00:00:00Z`));
const scanWords = { pending: 'analyse antivirus en cours', clean: 'reçu', infected: 'bloqué par l’antivirus : envoyez un autre fichier' } as const;

function Download({ d }: { d: Published }) {
  const [error, setError] = useState('');
  const open = async () => {
    setError('');
    try {
      const { link } = await api<{ link: string }>('GET', `/api/portal/documents/${d.id}/link`);
      location.assign(link);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <li className="card">
      <p>
        <strong>{d.title}</strong>
        <br />
        <span className="meta">
          {documentKindLabels[d.kind]}, mis à disposition le {on(d.publishedAt)}
        </span>
      </p>
      <button type="button" className="secondary" onClick={open} aria-label={`Télécharger « ${d.title} » (${d.fileName})`}>
        Télécharger
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function AskedDocument({ r, onSent }: { r: Asked; onSent: () => Promise<void> }) {
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState('');
  const inputId = `envoi-${r.id}`;
  const send = (file: File | undefined) =>
    file &&
    run(async () => {
      setNotice('');
      await upload(`/api/portal/document-requests/${r.id}/files`, file);
      setNotice('Document envoyé : votre bailleur le verra après l’analyse antivirus.');
      await onSent();
    });
  return (
    <li className="card">
      <p>
        <strong>{r.label}</strong>
        <br />
        Statut : <span className="status">{documentRequestStatusLabels[r.status]}</span>
        <br />
        <span className="meta">
          Demandé le {on(r.askedAt)}
          {r.dueOn ? `, à envoyer avant le ${day(r.dueOn)}` : ''}
        </span>
      </p>
      {r.note && <p>{r.note}</p>}
      {r.status === 'redo' && r.redoReason && <p className="error">À refaire : {r.redoReason}</p>}
      {r.uploads.length > 0 && (
        <ul>
          {r.uploads.map((u) => (
            <li key={u.file.id} className="meta">
              {u.file.name}, envoyé le {on(u.at)} : {scanWords[u.file.scanStatus]}
            </li>
          ))}
        </ul>
      )}
      {r.status !== 'accepted' && (
        <>
          <label htmlFor={inputId}>{r.status === 'redo' ? 'Envoyer à nouveau (photo ou PDF)' : 'Envoyer ce document (photo ou PDF)'}</label>
          <input
            id={inputId}
            type="file"
            accept="image/jpeg,image/png,image/webp,application/pdf"
            disabled={busy}
            onChange={(e) => send(e.target.files?.[0])}
          />
        </>
      )}
      <div aria-live="polite">
        {notice && <p className="notice">{notice}</p>}
        {error && <p className="error">{error}</p>}
      </div>
    </li>
  );
}

export function DocumentsSections() {
  const [data, setData] = useState<{ documents: Published[]; requests: Asked[] } | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(
    () => api<{ documents: Published[]; requests: Asked[] }>('GET', '/api/portal/documents').then(setData, (e) => setError(messageOf(e))),
    [],
  );
  useEffect(() => {
    load();
  }, [load]);
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p>Chargement…</p>;
  const waiting = data.requests.filter((r) => r.status === 'asked' || r.status === 'redo').length;
  return (
    <>
      <h2>Documents à télécharger</h2>
      {data.documents.length === 0 ? (
        <p>Aucun document pour le moment.</p>
      ) : (
        <>
          <p className="meta">{plural(data.documents.length, 'document disponible', 'documents disponibles')}</p>
          <ul className="requests">
            {data.documents.map((d) => (
              <Download key={d.id} d={d} />
            ))}
          </ul>
        </>
      )}
      <h2>Documents demandés</h2>
      {data.requests.length === 0 ? (
        <p>Votre bailleur ne vous a demandé aucun document.</p>
      ) : (
        <>
          <p className="meta">{plural(waiting, 'document à envoyer', 'documents à envoyer')}</p>
          <ul className="requests">
            {data.requests.map((r) => (
              <AskedDocument key={r.id} r={r} onSent={load} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
