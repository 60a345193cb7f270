import divisionsData from './data/codes/hunan-divisions-2013.json' with { type: 'json' };

/**
 * 湖南省 with its 14 市州 and 122 县市区 as of 2013-12 (GB/T 2260), copied from the record standard.
 * Source: see `source` in data/codes/hunan-divisions-2013.json.
 */
export type Division = { code: string; name: string };
export type Prefecture = Division & { counties: Division[] };

export const divisionsSource: string = divisionsData.source;
export const province: Division = divisionsData.province;
export const prefectures: Prefecture[] = divisionsData.prefectures;
export const counties: (Division & { prefectureCode: string })[] = prefectures.flatMap((prefecture) =>
  prefecture.counties.map((county) => ({ ...county, prefectureCode: prefecture.code })),
);
