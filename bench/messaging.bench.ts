// Benchmark: messaging (issue 15). (1) Preparing and queueing one message to 100,000 households:
// the send's job reads the segment with each holder's contacts and objections, applies the
// exclusions (5 % « pas de SMS », 3 % without a mobile, 2 % preferring e-mail), renders the
// template for each, and writes one outbox row and one `outbox-send` job per SMS or e-mail (and a
// letter row for those without contact), by chunks of 5,000 — the real `prepareSend`, with RLS.
// Bar: under 30 s, aim 5 s. (2) The letters PDF for 10,000 households, streamed from the database
// page by page (the real `writeLetters`), with the process's peak RSS sampled every 50 ms beside
// the RSS before. Bar: under 60 s with bounded memory. Also the size of a one-page letter alone
// (its embedded font subset). Prints one JSON line.
// `--households N` for a smaller set; `--letters N`; `--keep DIR` keeps the generated database.
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type Letter, writeLetters } from '../server/modules/messaging/letters.ts';
import { lettersPage } from '../server/modules/messaging/messaging.repository.ts';
import { prepareSend } from '../server/modules/messaging/messaging.service.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { openBenchDatabase } from './database.ts';
import { generateRegistry } from './generate.ts';

const { values } = parseArgs({
  options: { households: { type: 'string', default: '100000' }, letters: { type: 'string', default: '10000' }, keep: { type: 'string' } },
});
const households = Number(values.households);
const letterCount = Number(values.letters);
const log = (m: string) => process.stderr.write(`${m}\n`);
const { config, runtime, jobs, q, close } = await openBenchDatabase('messaging', values.keep, 54425);
try {
  await jobs.start();
  const deps = { config, database: runtime.database, jobs };
  const reused = (await q(`select id from organisations where slug = 'bench-messaging'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-messaging', name: 'Bench messages' }));
  if (!reused) {
    const t0 = performance.now();
    log(`Generating ${households} households…`);
    await generateRegistry(q, org, households, { departures: false });
    await q(`update agencies set duty_phone = '+33145678901' where organisation_id = $1`, [org]);
    await q(`update persons set civility = case when random() < 0.5 then 'Mme' else 'M.' end where organisation_id = $1`, [org]);
    await q(
      `insert into objections (organisation_id, household_id, kind) select $1, id, 'no_sms' from households where organisation_id = $1 and random() < 0.05`,
      [org],
    );
    await q(
      `update contact_points set ended_at = now() where organisation_id = $1 and person_id in (select p.id from persons p join households h on h.id = p.household_id where p.organisation_id = $1 and abs(hashtext(h.id::text)) % 100 < 3)`,
      [org],
    );
    await q(
      `insert into contact_points (organisation_id, person_id, kind, value, source)
       select $1, p.id, 'email', 'locataire' || row_number() over () || '@example.fr', 'demo' from persons p where p.organisation_id = $1 and p.household_role = 'holder' and random() < 0.3`,
      [org],
    );
    await q(`update persons set preferred_channel = 'email' where organisation_id = $1 and household_role = 'holder' and random() < 0.02`, [org]);
    await q('vacuum analyze');
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const template = (
    await q(
      `insert into message_templates (organisation_id, name, channels, subject, body) values ($1, 'Grand froid ' || gen_random_uuid(), '{sms,email,letter}', 'Votre bailleur prend de vos nouvelles',
        'Bonjour {civilite} {nom}, en cas de besoin pendant le grand froid, votre agence {agence} est joignable au {telephone_agence}.') returning id`,
      [org],
    )
  ).rows[0].id as string;
  const audience = { kind: 'segment', filters: { status: 'active', fragilityMatch: 'all' }, scope: null };
  const send = (
    await q(
      `insert into message_sends (organisation_id, template_id, audience, audience_ref, plan, status, recipients) values ($1, $2, 'segment', $3, '{}', 'preparing', $4) returning id`,
      [org, template, JSON.stringify(audience), households],
    )
  ).rows[0].id as string;

  log(`Preparing and queueing the send to ${households} households…`);
  const t1 = performance.now();
  await prepareSend(deps, org, send);
  const prepareSeconds = (performance.now() - t1) / 1000;
  const counts = (
    await q(
      `select (select count(*)::int from messages where send_id = $1) as messages,
        (select count(*)::int from messages where send_id = $1 and channel = 'sms') as sms,
        (select count(*)::int from pgboss.job j where j.name = 'outbox-send' and j.data->>'messageId' in (select id::text from messages where send_id = $1)) as jobs,
        (select count(*)::int from message_letters where send_id = $1) as letters,
        (select status from message_sends where id = $1) as status`,
      [send],
    )
  ).rows[0];
  log(`Prepared in ${prepareSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);

  // Letters: 10,000 households of the organisation, each with its address block and text.
  const letterSend = (
    await q(
      `insert into message_sends (organisation_id, template_id, audience, audience_ref, plan, status) values ($1, $2, 'segment', '{}', '{}', 'queued') returning id`,
      [org, template],
    )
  ).rows[0].id as string;
  await q(
    `insert into message_letters (organisation_id, send_id, household_id, address, body)
     select $1, $2, h.id, array['Mme Jeanne MARTIN', 'Logement ' || h.erp_ref, '12 rue Jean Jaurès', '94400 VITRY-SUR-SEINE'],
       'Bonjour Madame Martin, en cas de besoin pendant le grand froid, votre agence est joignable au 01 45 67 89 01. Nous vous prions d’agréer, Madame, nos salutations distinguées.'
     from households h where h.organisation_id = $1 order by h.id limit $3`,
    [org, letterSend, letterCount],
  );
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  async function* letters(): AsyncIterable<Letter> {
    let after: string | null = null;
    for (;;) {
      const page: { household_id: string; address: string[]; body: string }[] = await runtime.database.withOrg({ organisationId: org }, (trx) =>
        lettersPage(trx, letterSend, after, 500),
      );
      for (const l of page) yield { address: l.address, body: l.body, sender: ['Votre bailleur'], dated: 'Le 30 novembre 2026' };
      if (page.length < 500) return;
      after = page[page.length - 1]?.household_id ?? null;
    }
  }
  log(`Rendering the letters PDF for ${letterCount} households…`);
  const t2 = performance.now();
  const pages = await writeLetters(sink, letters(), 'Courriers');
  const letterSeconds = (performance.now() - t2) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  // One letter alone, to a tenant whose name is outside WinAnsi: the size of a one-page PDF with its font subset.
  let oneLetterBytes = 0;
  async function* one(): AsyncIterable<Letter> {
    yield {
      address: ['Mme Nguyễn Thị Hằng', 'Logement 000123', '12 rue Jean Jaurès', '94400 VITRY-SUR-SEINE'],
      body: 'Bonjour Madame Nguyễn, en cas de besoin pendant le grand froid, votre agence est joignable au 01 45 67 89 01. Nous vous prions d’agréer, Madame, nos salutations distinguées.',
      sender: ['Votre bailleur'],
      dated: 'Le 30 novembre 2026',
    };
  }
  await writeLetters(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        oneLetterBytes += chunk.length;
        done();
      },
    }),
    one(),
    'Courrier',
  );

  console.log(
    JSON.stringify({
      bench: 'messaging',
      note: 'measured on the shared 2-core machine (other helpers ran at the same time)',
      prepare: {
        households,
        seconds: Number(prepareSeconds.toFixed(2)),
        barSeconds: 30,
        aimSeconds: 5,
        messages: counts.messages,
        sms: counts.sms,
        jobs: counts.jobs,
        letters: counts.letters,
        excluded: households - counts.messages - counts.letters,
        status: counts.status,
      },
      letters: {
        households: letterCount,
        pages,
        seconds: Number(letterSeconds.toFixed(2)),
        barSeconds: 60,
        megabytes: Number((bytes / 1e6).toFixed(1)),
        rssBeforeMb: Math.round(rssBefore / 1e6),
        peakRssMb: Math.round(peak / 1e6),
        oneLetterBytes,
      },
    }),
  );
} finally {
  await close();
}
