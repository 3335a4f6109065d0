/**
 * The tenant portal (issue 16): React alone, plain CSS, no router, no UI kit — under 100 KB of
 * compressed JavaScript on a phone. Addresses: /locataire/<slug> (sign-in, then the requests),
 * /locataire/<slug>/demandes/nouvelle, /locataire/<slug>/demandes/<id>, /locataire/<slug>/documents.
 */
import { type FormEvent, StrictMode, useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type RequestCategory, type RequestStatus, requestCategories, requestCategoryLabels, requestStatusLabels } from '../../contracts/portal-labels.ts';
import { PortalAppointments } from '../portal-appointments/PortalAppointments.tsx';
import { ApiError, api, upload } from './api.ts';
import { DocumentsSections } from './Documents.tsx';
import { messageOf, useAction } from './use-action.ts';
import './portal.css';

type Me = { firstName: string; landlord: string; slug: string };
type Row = { id: string; category: RequestCategory; description: string; status: RequestStatus; createdAt: string; updatedAt: string };
type Exchange = {
  id: string;
  at: string;
  author: 'tenant' | 'landlord' | 'status';
  body: string;
  file: { id: string; name: string; scanStatus: 'pending' | 'clean' | 'infected' } | null;
};
type View = Row & { exchanges: Exchange[] };
type Balance =
  | { shown: false }
  | {
      shown: true;
      balance: { cents: number; on: string } | null;
      plan: {
        kind: 'deferral' | 'instalments' | 'clearance';
        amountCents: number;
        instalments: { dueOn: string; amountCents: number; status: 'pending' | 'met' | 'missed' }[];
      } | null;
    };
type Article = { id: string; kind: 'faq' | 'news'; title: string; body: string; updatedAt: string };

const slug = location.pathname.split('/')[2] ?? '';
const base = `/locataire/${slug}`;
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
const when = (iso: string) => dateTime.format(new Date(iso));
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const money = (cents: number) => euros.format(cents / 100);
const day = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const instalmentLabels = { pending: 'à venir', met: 'payée', missed: 'non payée' } as const;

/** One h1 per page, the title of the tab, and the focus on the h1 when the page changes (screen readers). */
function Title({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} — Espace locataire`;
    ref.current?.focus();
  }, [children]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const back = () => setPath(location.pathname);
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  }, []);
  const go = useCallback((to: string) => {
    history.pushState(null, '', to);
    setPath(to);
    scrollTo(0, 0);
  }, []);
  return [path, go] as const;
}

/** A page under « Mes demandes »: the way back, then its one h1. */
function SubPage({ title, go, children }: { title: string; go: (to: string) => void; children: React.ReactNode }) {
  return (
    <main id="contenu">
      <p>
        <Link to={base} go={go}>
          ← Mes demandes
        </Link>
      </p>
      <Title>{title}</Title>
      {children}
    </main>
  );
}

function Link({ to, go, children }: { to: string; go: (to: string) => void; children: React.ReactNode }) {
  return (
    <a
      href={to}
      onClick={(e) => {
        e.preventDefault();
        go(to);
      }}
    >
      {children}
    </a>
  );
}

function SignIn({ landlord, onSignedIn }: { landlord: string; onSignedIn: () => void }) {
  const [contact, setContact] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  const ask = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const r = await api<{ challenge: string; message: string }>('POST', `/api/portal/landlords/${slug}/code`, { contact });
      setChallenge(r.challenge);
      setNotice(r.message);
      setCode('');
    });
  };
  const check = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await api('POST', `/api/portal/landlords/${slug}/verify`, { challenge, code });
      onSignedIn();
    });
  };

  return (
    <main id="contenu">
      <Title>{challenge ? 'Saisir le code reçu' : 'Se connecter'}</Title>
      {!challenge ? (
        <form className="card" onSubmit={ask} noValidate>
          <p>Espace locataire de {landlord}. Pas de mot de passe : vous recevez un code par SMS ou par e-mail.</p>
          <label htmlFor="contact">Votre numéro de mobile ou votre e-mail</label>
          <p className="hint" id="contact-hint">
            Celui que votre bailleur connaît, par exemple 06 12 34 56 78.
          </p>
          <input
            id="contact"
            name="contact"
            autoComplete="username"
            inputMode="email"
            required
            aria-describedby="contact-hint"
            value={contact}
            onChange={(e) => setContact(e.target.value)}
          />
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={busy}>
              Recevoir un code
            </button>
          </div>
        </form>
      ) : (
        <form className="card" onSubmit={check} noValidate>
          <p className="notice" role="status">
            {notice}
          </p>
          <label htmlFor="code">Code à 6 chiffres</label>
          <input
            id="code"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={busy}>
              Se connecter
            </button>
            <button type="button" className="secondary" onClick={() => setChallenge(null)}>
              Recevoir un autre code
            </button>
          </div>
        </form>
      )}
    </main>
  );
}

function BalanceCard() {
  const [b, setB] = useState<Balance | null>(null);
  useEffect(() => {
    api<Balance>('GET', '/api/portal/balance').then(setB, () => setB(null));
  }, []);
  if (!b?.shown) return null;
  return (
    <section className="card" aria-labelledby="solde">
      <h2 id="solde">Mon solde</h2>
      {b.balance ? (
        <p>
          {b.balance.cents > 0
            ? `Reste à payer : ${money(b.balance.cents)}`
            : b.balance.cents < 0
              ? `En avance : ${money(-b.balance.cents)}`
              : 'Vous êtes à jour.'}{' '}
          <span className="meta">(au {day(b.balance.on)})</span>
        </p>
      ) : (
        <p>Pas de solde connu pour le moment.</p>
      )}
      {b.plan && (
        <>
          <h3>Mon plan de paiement ({money(b.plan.amountCents)})</h3>
          <ul>
            {b.plan.instalments.map((i) => (
              <li key={i.dueOn}>
                {day(i.dueOn)} : {money(i.amountCents)}, {instalmentLabels[i.status]}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Requests({ go }: { go: (to: string) => void }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Row[]>('GET', '/api/portal/requests').then(setRows, (e) => setError(messageOf(e)));
  }, []);
  return (
    <main id="contenu">
      <Title>Mes demandes</Title>
      <div className="actions">
        <button type="button" onClick={() => go(`${base}/demandes/nouvelle`)}>
          Faire une demande
        </button>
      </div>
      <p>
        <Link to={`${base}/rendez-vous`} go={go}>
          Rendez-vous à l’agence
        </Link>
      </p>
      <p>
        <Link to={`${base}/documents`} go={go}>
          Mes documents
        </Link>
      </p>
      <p>
        <Link to={`${base}/infos`} go={go}>
          Actualités et questions fréquentes
        </Link>
      </p>
      <BalanceCard />
      <h2>Demandes de mon foyer</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && <p>Vous n’avez encore fait aucune demande.</p>}
      {rows && rows.length > 0 && (
        <ul className="requests">
          {rows.map((r) => (
            <li key={r.id} className="card">
              <Link to={`${base}/demandes/${r.id}`} go={go}>
                <strong>{requestCategoryLabels[r.category]}</strong>
                <br />
                <span className="status">{requestStatusLabels[r.status]}</span> <span className="meta">déposée le {when(r.createdAt)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

function NewRequest({ go }: { go: (to: string) => void }) {
  const [category, setCategory] = useState<RequestCategory | ''>('');
  const [description, setDescription] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const { busy, error, setError, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!category) return setError('Choisissez le type de demande.');
    return run(async () => {
      const { id } = await api<{ id: string }>('POST', '/api/portal/requests', { category, description });
      if (file) {
        try {
          await upload(`/api/portal/requests/${id}/files`, file);
        } catch (err) {
          // The request exists: open it, with the reason the document was refused.
          go(`${base}/demandes/${id}`);
          alert(`Votre demande est enregistrée, mais le document n’a pas été joint : ${messageOf(err)}`);
          return;
        }
      }
      go(`${base}/demandes/${id}`);
    });
  };
  return (
    <main id="contenu">
      <Title>Faire une demande</Title>
      <form className="card" onSubmit={submit} noValidate>
        <label htmlFor="category">Type de demande</label>
        <select id="category" required value={category} onChange={(e) => setCategory(e.target.value as RequestCategory)}>
          <option value="">Choisissez…</option>
          {requestCategories.map((c) => (
            <option key={c} value={c}>
              {requestCategoryLabels[c]}
            </option>
          ))}
        </select>
        <label htmlFor="description">Votre demande</label>
        <p className="hint" id="description-hint">
          Décrivez le problème : où, depuis quand, ce que vous avez déjà fait.
        </p>
        <textarea
          id="description"
          required
          maxLength={4000}
          aria-describedby="description-hint"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <label htmlFor="file">Photo ou document PDF (facultatif)</label>
        <p className="hint" id="file-hint">
          JPEG, PNG, WebP ou PDF. Les informations cachées des photos (lieu, appareil) sont retirées.
        </p>
        <input
          id="file"
          type="file"
          accept="image/jpeg,image/png,image/webp,application/pdf"
          aria-describedby="file-hint"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            Envoyer ma demande
          </button>
          <button type="button" className="secondary" onClick={() => go(base)}>
            Annuler
          </button>
        </div>
      </form>
    </main>
  );
}

function FileLink({ file }: { file: NonNullable<Exchange['file']> }) {
  const [error, setError] = useState('');
  if (file.scanStatus === 'infected') return <span className="error">{file.name} : bloqué par l’antivirus</span>;
  if (file.scanStatus === 'pending') return <span className="meta">{file.name} : analyse antivirus en cours</span>;
  const open = async () => {
    try {
      const { link } = await api<{ link: string }>('GET', `/api/portal/files/${file.id}`);
      location.assign(link);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={open}>
        Télécharger {file.name}
      </button>
      {error && <span className="error"> {error}</span>}
    </>
  );
}

function RequestPage({ id, go }: { id: string; go: (to: string) => void }) {
  const [view, setView] = useState<View | null>(null);
  const [message, setMessage] = useState('');
  const [notice, setNotice] = useState('');
  const { busy, error, setError, run } = useAction();
  const load = useCallback(() => api<View>('GET', `/api/portal/requests/${id}`).then(setView, (e) => setError(messageOf(e))), [id, setError]);
  useEffect(() => {
    load();
  }, [load]);
  const send = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await api('POST', `/api/portal/requests/${id}/messages`, { body: message });
      setMessage('');
      setNotice('Message envoyé.');
      await load();
    });
  };
  const attach = (file: File | undefined) =>
    file &&
    run(async () => {
      await upload(`/api/portal/requests/${id}/files`, file);
      setNotice('Document ajouté : il sera lisible après l’analyse antivirus.');
      await load();
    });
  if (!view)
    return (
      <main id="contenu">
        <Title>Ma demande</Title>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p>Chargement…</p>
        )}
      </main>
    );
  return (
    <SubPage title={requestCategoryLabels[view.category]} go={go}>
      <div className="card">
        <p>
          Statut : <span className="status">{requestStatusLabels[view.status]}</span>
        </p>
        <p className="meta">Déposée le {when(view.createdAt)}</p>
        <p>{view.description}</p>
      </div>
      <h2>Échanges</h2>
      {view.exchanges.length === 0 ? (
        <p>Pas encore de réponse : votre bailleur vous préviendra par SMS ou par e-mail.</p>
      ) : (
        <ol className="exchanges">
          {view.exchanges.map((x) => (
            <li key={x.id} className={x.author === 'landlord' ? 'landlord' : x.author === 'status' ? 'status-change' : 'tenant'}>
              <p className="meta">
                {x.author === 'landlord' ? 'Votre bailleur' : x.author === 'status' ? 'Changement de statut' : 'Vous'}, le {when(x.at)}
              </p>
              {x.body && <p>{x.author === 'status' ? `Nouveau statut : ${x.body}` : x.body}</p>}
              {x.file && <FileLink file={x.file} />}
            </li>
          ))}
        </ol>
      )}
      {view.status !== 'closed' && (
        <form className="card" onSubmit={send} noValidate>
          <label htmlFor="message">Ajouter un message</label>
          <textarea id="message" required maxLength={4000} value={message} onChange={(e) => setMessage(e.target.value)} />
          <div className="actions">
            <button type="submit" disabled={busy || !message.trim()}>
              Envoyer le message
            </button>
          </div>
          <label htmlFor="more">Ajouter une photo ou un PDF</label>
          <input id="more" type="file" accept="image/jpeg,image/png,image/webp,application/pdf" disabled={busy} onChange={(e) => attach(e.target.files?.[0])} />
        </form>
      )}
      <div aria-live="polite">
        {notice && <p className="notice">{notice}</p>}
        {error && <p className="error">{error}</p>}
      </div>
    </SubPage>
  );
}

function Appointments({ go }: { go: (to: string) => void }) {
  return (
    <SubPage title={'Rendez-vous à l’agence'} go={go}>
      <PortalAppointments apiBase="/api/portal/appointments" />
    </SubPage>
  );
}

function Documents({ go }: { go: (to: string) => void }) {
  return (
    <SubPage title={'Mes documents'} go={go}>
      <DocumentsSections />
    </SubPage>
  );
}

function Articles({ go }: { go: (to: string) => void }) {
  const [rows, setRows] = useState<Article[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Article[]>('GET', '/api/portal/articles').then(setRows, (e) => setError(messageOf(e)));
  }, []);
  const news = rows?.filter((a) => a.kind === 'news') ?? [];
  const faq = rows?.filter((a) => a.kind === 'faq') ?? [];
  return (
    <SubPage title={'Actualités et questions fréquentes'} go={go}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>Actualités</h2>
      {rows && news.length === 0 && <p>Aucune actualité pour le moment.</p>}
      {news.map((a) => (
        <article key={a.id} className="card">
          <h3>{a.title}</h3>
          <p className="meta">Publiée le {when(a.updatedAt)}</p>
          <p>{a.body}</p>
        </article>
      ))}
      <h2>Questions fréquentes</h2>
      {rows && faq.length === 0 && <p>Aucune question fréquente pour le moment.</p>}
      {faq.map((a) => (
        <details key={a.id} className="card">
          <summary>{a.title}</summary>
          <p>{a.body}</p>
        </details>
      ))}
    </SubPage>
  );
}

function Portal() {
  const [path, go] = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [landlord, setLandlord] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const whoAmI = useCallback(
    () =>
      api<Me>('GET', '/api/portal/me').then(
        (m) => setMe(m.slug === slug ? m : null),
        () => setMe(null),
      ),
    [],
  );
  useEffect(() => {
    api<{ landlord: string }>('GET', `/api/portal/landlords/${slug}`).then(
      (r) => setLandlord(r.landlord),
      (e) => setMissing(e instanceof ApiError && e.status === 404),
    );
    whoAmI();
  }, [whoAmI]);
  const signOut = async () => {
    await api('POST', '/api/portal/sign-out').catch(() => {});
    setMe(null);
    go(base);
  };

  let page: React.ReactNode;
  if (missing)
    page = (
      <main id="contenu">
        <Title>Espace introuvable</Title>
        <p>Cette adresse ne correspond à aucun espace locataire. Vérifiez le lien envoyé par votre bailleur.</p>
      </main>
    );
  else if (me === undefined || (me === null && landlord === null)) page = <p>Chargement…</p>;
  else if (me === null) page = <SignIn landlord={landlord ?? ''} onSignedIn={whoAmI} />;
  else {
    const sub = path.slice(base.length);
    const match = /^\/demandes\/([0-9a-f-]{36})$/.exec(sub);
    page =
      sub === '/documents' ? (
        <Documents go={go} />
      ) : sub === '/infos' ? (
        <Articles go={go} />
      ) : sub === '/rendez-vous' ? (
        <Appointments go={go} />
      ) : sub === '/demandes/nouvelle' ? (
        <NewRequest go={go} />
      ) : match ? (
        <RequestPage id={match[1] as string} go={go} />
      ) : (
        <Requests go={go} />
      );
  }
  return (
    <>
      <a className="skip" href="#contenu">
        Aller au contenu
      </a>
      <header className="top">
        <p>{me ? `${me.landlord} — ${me.firstName}` : (landlord ?? 'Espace locataire')}</p>
        {me && (
          <button type="button" onClick={signOut}>
            Se déconnecter
          </button>
        )}
      </header>
      {page}
    </>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
