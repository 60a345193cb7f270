/**
 * The deadline-day mix, driven by autocannon: one autocannon instance per connection (one keep-alive socket),
 * so each connection keeps its own state — the records it saves and their versions, the import it is about to
 * commit — in a closure, and no two connections touch the same record or upload to the same school.
 *
 * Every connection repeats a shuffled cycle: for every 39 requests of the others, `scale` times over, one
 * upload and its commit. Of the others:
 *   16 list   (40 %)  a school operator's staff list: pages, status, name and warning filters
 *    8 save   (20 %)  PATCH of one of its own records with the version it last saw
 *    8 progress (20 %) 4 a school's page, 2 a county's, 1 a prefecture's, 1 the province's
 *    6 review (15 %)  a county admin: a package awaiting its review, its records page by page (2), its inbox (1),
 *                     its schools (1), its submission state (1), school search (1)
 * With scale 1 uploads are 5 % of the requests (1 upload → preview, 1 commit); the full form uses scale 5, 1 %:
 * at 300 requests/s that is 1.5 uploads of 200 people a second, 5,400 an hour, a quarter of the province's
 * 20,000 schools uploading within the hour — more than a deadline day's peak. The short form keeps 5 %, so that
 * its ten seconds commit imports.
 */
import autocannon from 'autocannon';
import type { ConnectionPlan, LoadPlan, Target } from './fixtures.ts';
import { loadPassword } from './fixtures.ts';
import type { Upload } from './workbooks.ts';

export type Route =
  | 'list'
  | 'save'
  | 'progress.school'
  | 'progress.county'
  | 'progress.prefecture'
  | 'progress.province'
  | 'review.children'
  | 'review.submission'
  | 'review.inbox'
  | 'review.search'
  | 'review.package'
  | 'upload'
  | 'commit';

type Slot = 'list' | 'save' | 'progress.school' | 'progress.county' | 'progress.prefecture' | 'progress.province' | 'review.children' | 'review.submission' | 'review.inbox' | 'review.search' | 'review.package' | 'upload';
const others: [Slot, number][] = [
  ['list', 16],
  ['save', 8],
  ['progress.school', 4],
  ['progress.county', 2],
  ['progress.prefecture', 1],
  ['progress.province', 1],
  ['review.children', 1],
  ['review.submission', 1],
  ['review.inbox', 1],
  ['review.search', 1],
  ['review.package', 2],
];

export type Session = { cookie: string; csrfToken: string; worker: string | null };

export type Sample = { route: Route; status: number; ms: number; worker: string | null };
export type Failure = { route: Route; status: number | string; body: string };

export type MixResult = {
  seconds: number;
  samples: Sample[];
  failures: Failure[];
  /** Saves answered 200, by record id. */
  savesAcknowledged: Map<number, number>;
  /** Saves cut off by the end of the run (sent, no answer): they may or may not have landed. */
  savesInFlight: Map<number, number>;
  commitsAcknowledged: number;
  uploadsReused: number;
  /** Which workers served each session (username → worker ids). */
  sessionWorkers: Map<string, Set<string>>;
};

/** Signs every account in before the measured window (a few at a time: Argon2 is deliberately slow). */
export async function signIn(address: string, usernames: string[], parallel = 4): Promise<Map<string, Session>> {
  const sessions = new Map<string, Session>();
  const queue = [...usernames];
  const next = async (): Promise<void> => {
    const username = queue.shift();
    if (!username) return;
    const response = await fetch(`${address}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: loadPassword }),
    });
    if (!response.ok) throw new Error(`login of ${username} answered ${response.status}: ${await response.text()}`);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    sessions.set(username, { cookie: response.headers.get('set-cookie')!.split(';')[0], csrfToken, worker: response.headers.get('x-rollcall-worker') });
    return next();
  };
  await Promise.all(Array.from({ length: parallel }, next));
  return sessions;
}

/** A deterministic shuffle of the cycle, different for each connection so they are not in step. */
function shuffledCycle(seed: number, scale: number): Slot[] {
  const cycle: [Slot, number][] = [...others.map(([slot, count]): [Slot, number] => [slot, count * scale]), ['upload', 1]];
  const slots = cycle.flatMap(([slot, count]) => Array.from({ length: count }, () => slot));
  let state = seed * 2654435761 + 1;
  for (let index = slots.length - 1; index > 0; index -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const other = state % (index + 1);
    [slots[index], slots[other]] = [slots[other], slots[index]];
  }
  return slots;
}

const listFilters = ['', '&page=2', '&status=draft', '&q=%E7%8E%8B', '&hasWarnings=true', '&q=%E6%9D%8E', '&status=awaiting_confirmation', '&page=3'];

type Outgoing = { route: Route; username: string; method: 'GET' | 'POST' | 'PATCH'; path: string; body?: Buffer | string; contentType?: string; recordId?: number };

/** One connection's behaviour: what it asks next, and what it learns from each answer. */
function connectionDriver(index: number, plan: ConnectionPlan, province: Target, uploads: () => Upload, runId: string, scale: number) {
  const slots = shuffledCycle(index + 1, scale);
  const versions = new Map(plan.records.map((record) => [record.id, record.version]));
  let position = 0;
  let counter = 0;
  let pendingCommit: number | undefined;
  const pick = <T>(items: T[]) => items[(counter += 1) % items.length];

  const next = (): Outgoing => {
    if (pendingCommit !== undefined) {
      return { route: 'commit', username: plan.uploadSchool.username, method: 'POST', path: `/api/imports/${pendingCommit}/commit` };
    }
    const slot = slots[position];
    position = (position + 1) % slots.length;
    const school = pick(plan.schools);
    const county = pick(plan.counties);
    switch (slot) {
      case 'list':
        return { route: 'list', username: school.username, method: 'GET', path: `/api/schools/${school.unitCode}/staff?pageSize=50${pick(listFilters)}` };
      case 'save': {
        const record = pick(plan.records);
        const body = JSON.stringify({ version: versions.get(record.id), values: { remark: `压测修改 ${runId}-${index}-${counter}` } }); // never a value an earlier run left
        return { route: 'save', username: record.schoolUsername, method: 'PATCH', path: `/api/staff/${record.id}`, body, contentType: 'application/json', recordId: record.id };
      }
      case 'progress.school':
        return { route: slot, username: school.username, method: 'GET', path: `/api/units/${school.unitCode}/progress` };
      case 'progress.county':
        return { route: slot, username: county.username, method: 'GET', path: `/api/units/${county.unitCode}/progress` };
      case 'progress.prefecture': {
        const prefecture = pick(plan.prefectures);
        return { route: slot, username: prefecture.username, method: 'GET', path: `/api/units/${prefecture.unitCode}/progress` };
      }
      case 'progress.province':
        return { route: slot, username: province.username, method: 'GET', path: `/api/units/${province.unitCode}/progress` };
      case 'review.children':
        return { route: slot, username: county.username, method: 'GET', path: `/api/units/${county.unitCode}/children?pageSize=50&page=${1 + (counter % 2)}` };
      case 'review.submission':
        return { route: slot, username: county.username, method: 'GET', path: `/api/units/${county.unitCode}/submission` };
      case 'review.inbox':
        return { route: slot, username: county.username, method: 'GET', path: `/api/units/${county.unitCode}/inbox` };
      case 'review.package': {
        if (plan.packages.length === 0) return { route: 'review.inbox', username: county.username, method: 'GET', path: `/api/units/${county.unitCode}/inbox` };
        const pkg = pick(plan.packages);
        return { route: slot, username: pkg.county.username, method: 'GET', path: `/api/packages/${pkg.id}/items?pageSize=50&page=${1 + (counter % 2)}` };
      }
      case 'review.search':
        return { route: slot, username: county.username, method: 'GET', path: `/api/units/${county.unitCode}/schools?pageSize=20&q=%E5%B0%8F%E5%AD%A6` };
      case 'upload': {
        const upload = uploads();
        return { route: 'upload', username: plan.uploadSchool.username, method: 'POST', path: `/api/schools/${plan.uploadSchool.unitCode}/imports`, body: upload.body, contentType: upload.contentType };
      }
    }
  };

  const learn = (outgoing: Outgoing, status: number, body: string) => {
    if (outgoing.route === 'commit') pendingCommit = undefined;
    if (status !== 200) return;
    if (outgoing.route === 'save') versions.set(outgoing.recordId!, (JSON.parse(body) as { version: number }).version);
    if (outgoing.route === 'upload') pendingCommit = (JSON.parse(body) as { id: number }).id;
  };
  return { next, learn };
}

/** Drives the mix for `seconds` over `plan.connections.length` connections; `rate` caps the total requests/s. */
export async function runMix(
  address: string,
  plan: LoadPlan,
  sessions: Map<string, Session>,
  uploadPool: Upload[],
  options: { seconds: number; rate?: number; scale: number },
): Promise<MixResult> {
  const samples: Sample[] = [];
  const failures: Failure[] = [];
  const savesAcknowledged = new Map<number, number>();
  const savesInFlight = new Map<number, number>();
  const sessionWorkers = new Map<string, Set<string>>();
  let commitsAcknowledged = 0;
  let uploadIndex = 0;
  let uploadsReused = 0;
  const uploads = () => {
    if (uploadIndex >= uploadPool.length) uploadsReused += 1;
    return uploadPool[uploadIndex++ % uploadPool.length];
  };
  const count = (map: Map<number, number>, id: number) => map.set(id, (map.get(id) ?? 0) + 1);
  const url = new URL(address);
  const connectionRate = options.rate ? options.rate / plan.connections.length : undefined;
  const runId = Date.now().toString(36);

  const started = performance.now();
  await Promise.all(
    plan.connections.map(
      (connectionPlan, index) =>
        new Promise<void>((resolve, reject) => {
          const driver = connectionDriver(index, connectionPlan, plan.province, uploads, runId, options.scale);
          let current: Outgoing | undefined;
          let answer: { status: number; worker: string | null } | undefined;
          const instance = autocannon(
            {
              url: address,
              connections: 1,
              pipelining: 1,
              duration: options.seconds,
              timeout: 30,
              ...(connectionRate ? { connectionRate } : {}),
              requests: [
                {
                  setupRequest: (request) => {
                    current = driver.next();
                    const session = sessions.get(current.username)!;
                    const headers: Record<string, string> = { host: url.host, cookie: session.cookie, 'x-rollcall-lang': 'en' };
                    if (current.method !== 'GET') headers['x-csrf-token'] = session.csrfToken;
                    if (current.contentType) headers['content-type'] = current.contentType;
                    return { ...request, method: current.method, path: current.path, headers, body: current.body ?? '' };
                  },
                  onResponse: (status, body, _context, headers) => {
                    const outgoing = current!;
                    const worker = typeof headers?.['x-rollcall-worker'] === 'string' ? headers['x-rollcall-worker'] : null;
                    answer = { status, worker };
                    if (worker) {
                      const seen = sessionWorkers.get(outgoing.username) ?? new Set<string>();
                      seen.add(worker);
                      sessionWorkers.set(outgoing.username, seen);
                    }
                    if (status < 200 || status >= 300) failures.push({ route: outgoing.route, status, body: body.slice(0, 400) });
                    else if (outgoing.route === 'save') count(savesAcknowledged, outgoing.recordId!);
                    else if (outgoing.route === 'commit') commitsAcknowledged += 1;
                    try {
                      driver.learn(outgoing, status, body);
                    } catch (error) {
                      failures.push({ route: outgoing.route, status: 'unreadable answer', body: `${(error as Error).message}: ${body.slice(0, 200)}` });
                    }
                  },
                },
              ],
            },
            (error) => {
              // The run ended with this request sent and unanswered: a save may still land.
              if (current && !answer && current.route === 'save') count(savesInFlight, current.recordId!);
              return error ? reject(error) : resolve();
            },
          );
          instance.on('response', (_client, status, _bytes, responseTime) => {
            samples.push({ route: current!.route, status, ms: responseTime, worker: answer?.worker ?? null });
            answer = undefined;
          });
          instance.on('reqError', (error: Error) => {
            failures.push({ route: current?.route ?? 'list', status: 'connection error', body: error.message });
          });
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, samples, failures, savesAcknowledged, savesInFlight, commitsAcknowledged, uploadsReused, sessionWorkers };
}
