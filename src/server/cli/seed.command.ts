import { sql } from 'drizzle-orm';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { isDemoLoaded, loadDemo } from '../demo/demo.ts';
import { createRandom } from '../demo/random.ts';
import { insertSchools, schoolsFromCounts, syntheticSchoolCounts } from '../demo/schools.generator.ts';
import { printLogins } from './start.command.ts';
import { createCampaignFromPlan, currentCampaign } from '../campaign/campaign.service.ts';
import { seedStaff } from '../demo/staff.seeder.ts';

/** `rollcall seed`: the demo province, or a deterministic synthetic province for benchmarks. */
export async function runSeed(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      demo: { type: 'boolean', default: false },
      schools: { type: 'string' },
      staff: { type: 'string', default: '0' },
      seed: { type: 'string', default: '42' },
    },
  });
  if (!values.demo && !values.schools) {
    console.error('请指定 --demo 或 --schools N / Give --demo or --schools N');
    return 2;
  }
  const config = loadConfig();
  const database = await openConfiguredDatabase(config, console.log);
  try {
    if (values.demo) {
      if (await isDemoLoaded(database.db)) {
        console.log('演示数据已载入 / The demo is already loaded.');
        return 0;
      }
      printLogins(await loadDemo(database.db));
      return 0;
    }
    const total = Number(values.schools);
    const seed = Number(values.seed);
    if (!Number.isInteger(total) || total < 1 || total > 100_000 || !Number.isInteger(seed)) {
      console.error('--schools 应为 1–100000 的整数，--seed 为整数 / --schools must be 1–100000, --seed an integer');
      return 2;
    }
    const started = Date.now();
    const random = createRandom(seed);
    const schools = schoolsFromCounts(random, syntheticSchoolCounts(random, total));
    await insertSchools(database.db, schools, (done) => {
      process.stdout.write(`\r学校 / schools ${done}/${schools.length}`);
    });
    process.stdout.write('\n');
    const staffWanted = Number(values.staff);
    let staffWritten = 0;
    if (!Number.isInteger(staffWanted) || staffWanted < 0 || staffWanted > 20_000_000) {
      console.error('--staff 应为 0–20000000 的整数 / --staff must be 0–20000000');
      return 2;
    }
    if (staffWanted > 0) {
      const campaign = (await currentCampaign(database.db)) ?? (await createCampaignFromPlan(database.db, new Date()));
      staffWritten = await seedStaff(database.db, random, campaign.id, staffWanted, (done) => {
        process.stdout.write(`\r教职工 / staff ${done}/${staffWanted}`);
      });
      process.stdout.write('\n');
    }
    // Fresh statistics for the planner: without them, a million new rows are planned as an empty table.
    await database.db.execute(sql`analyze`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`完成 / Done: ${schools.length} schools, ${staffWritten} staff in ${seconds} s (seed ${seed}).`);
    return 0;
  } finally {
    await database.close();
  }
}
