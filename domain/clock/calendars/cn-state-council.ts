/**
 * Mainland China's working calendar, from the annual notices of the General Office of the State Council
 * (国务院办公厅关于20XX年部分节假日安排的通知).
 *
 * In China a day is a rest day when it is a weekend day or falls in a notice's 放假 span, unless the
 * notice lists it as 上班 (调休上班: a weekend day worked to make up for a bridged weekday). Library
 * holiday tables that know only the festivals miss those make-up workdays, so this calendar is data
 * transcribed from the notices, never computed.
 *
 * A span records exactly what the notice says is off: "1月1日放假，与周末连休" lists 1 January alone
 * (the adjoining weekend is a rest day anyway). Each make-up workday carries the weekday the notice
 * prints next to it, and the tests check it against our own weekday arithmetic.
 *
 * Verification (done without access to www.gov.cn itself):
 * - Dates, weekdays, document numbers of 2024 and 2025, and issue dates were checked against the
 *   notices' full text as reprinted by People's Daily (2024), Xinhua via gmw.cn (2025, 2026), Wikisource
 *   (2024, citing the State Council Gazette 2023 No. 31) and other reprints.
 * - The 2026 document number 国办发明电〔2025〕7号 and all three www.gov.cn URLs were confirmed only
 *   through secondary sources (open-source holiday datasets such as NateScarlet/holiday-cn, which cite
 *   the gov.cn pages), not by opening the pages.
 * To add a year: transcribe the new notice here, with its URL, document number and issue date.
 */
import { addDays, compareDates, type DayOfWeek, type PlainDate, parsePlainDate } from '../plain-date';
import type { CalendarDay, CalendarSource, CalendarYear } from './types';

const AUTHORITY = '国务院办公厅 General Office of the State Council of the PRC';

const FESTIVALS = {
  newYear: "元旦 New Year's Day",
  springFestival: '春节 Spring Festival',
  qingming: '清明节 Qingming Festival',
  labourDay: '劳动节 Labour Day',
  dragonBoat: '端午节 Dragon Boat Festival',
  midAutumn: '中秋节 Mid-Autumn Festival',
  nationalDay: '国庆节 National Day',
  nationalDayAndMidAutumn: '国庆节、中秋节 National Day and Mid-Autumn Festival',
} as const;

const SUNDAY = 0;
const SATURDAY = 6;

export interface NoticeMakeUpWorkday {
  date: PlainDate;
  /** The weekday printed in the notice, e.g. 2月4日（星期日） → Sunday (0). */
  noticeWeekday: DayOfWeek;
}

export interface NoticeArrangement {
  festival: string;
  /** First and last day off, inclusive, as the notice gives them. */
  daysOff: { from: PlainDate; to: PlainDate };
  makeUpWorkdays: NoticeMakeUpWorkday[];
}

export interface StateCouncilNotice {
  year: number;
  source: CalendarSource;
  arrangements: NoticeArrangement[];
}

function arrangement(
  festival: string,
  from: string,
  to: string,
  makeUpWorkdays: [date: string, noticeWeekday: DayOfWeek][] = [],
): NoticeArrangement {
  return {
    festival,
    daysOff: { from: parsePlainDate(from), to: parsePlainDate(to) },
    makeUpWorkdays: makeUpWorkdays.map(([date, noticeWeekday]) => ({
      date: parsePlainDate(date),
      noticeWeekday,
    })),
  };
}

/** The notices as published, one per year. */
export const STATE_COUNCIL_NOTICES: readonly StateCouncilNotice[] = [
  {
    year: 2024,
    source: {
      authority: AUTHORITY,
      title: '国务院办公厅关于2024年部分节假日安排的通知',
      // The State Council documents channel; the same notice is also in the policy library at
      // https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm.
      url: 'https://www.gov.cn/zhengce/content/202310/content_6911527.htm',
      published: '2023-10-25',
      documentNumber: '国办发明电〔2023〕7号',
    },
    arrangements: [
      arrangement(FESTIVALS.newYear, '2024-01-01', '2024-01-01'), // 1月1日放假，与周末连休
      arrangement(FESTIVALS.springFestival, '2024-02-10', '2024-02-17', [
        ['2024-02-04', SUNDAY],
        ['2024-02-18', SUNDAY],
      ]),
      arrangement(FESTIVALS.qingming, '2024-04-04', '2024-04-06', [['2024-04-07', SUNDAY]]),
      arrangement(FESTIVALS.labourDay, '2024-05-01', '2024-05-05', [
        ['2024-04-28', SUNDAY],
        ['2024-05-11', SATURDAY],
      ]),
      arrangement(FESTIVALS.dragonBoat, '2024-06-10', '2024-06-10'), // 6月10日放假，与周末连休
      arrangement(FESTIVALS.midAutumn, '2024-09-15', '2024-09-17', [['2024-09-14', SATURDAY]]),
      arrangement(FESTIVALS.nationalDay, '2024-10-01', '2024-10-07', [
        ['2024-09-29', SUNDAY],
        ['2024-10-12', SATURDAY],
      ]),
    ],
  },
  {
    year: 2025,
    source: {
      authority: AUTHORITY,
      title: '国务院办公厅关于2025年部分节假日安排的通知',
      url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
      published: '2024-11-12',
      documentNumber: '国办发明电〔2024〕12号',
    },
    arrangements: [
      arrangement(FESTIVALS.newYear, '2025-01-01', '2025-01-01'), // 放假1天，不调休
      arrangement(FESTIVALS.springFestival, '2025-01-28', '2025-02-04', [
        ['2025-01-26', SUNDAY],
        ['2025-02-08', SATURDAY],
      ]),
      arrangement(FESTIVALS.qingming, '2025-04-04', '2025-04-06'),
      arrangement(FESTIVALS.labourDay, '2025-05-01', '2025-05-05', [['2025-04-27', SUNDAY]]),
      arrangement(FESTIVALS.dragonBoat, '2025-05-31', '2025-06-02'),
      arrangement(FESTIVALS.nationalDayAndMidAutumn, '2025-10-01', '2025-10-08', [
        ['2025-09-28', SUNDAY],
        ['2025-10-11', SATURDAY],
      ]),
    ],
  },
  {
    year: 2026,
    source: {
      authority: AUTHORITY,
      title: '国务院办公厅关于2026年部分节假日安排的通知',
      url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
      published: '2025-11-04',
      documentNumber: '国办发明电〔2025〕7号',
    },
    arrangements: [
      arrangement(FESTIVALS.newYear, '2026-01-01', '2026-01-03', [['2026-01-04', SUNDAY]]),
      arrangement(FESTIVALS.springFestival, '2026-02-15', '2026-02-23', [
        ['2026-02-14', SATURDAY],
        ['2026-02-28', SATURDAY],
      ]),
      arrangement(FESTIVALS.qingming, '2026-04-04', '2026-04-06'),
      arrangement(FESTIVALS.labourDay, '2026-05-01', '2026-05-05', [['2026-05-09', SATURDAY]]),
      arrangement(FESTIVALS.dragonBoat, '2026-06-19', '2026-06-21'),
      arrangement(FESTIVALS.midAutumn, '2026-09-25', '2026-09-27'),
      arrangement(FESTIVALS.nationalDay, '2026-10-01', '2026-10-07', [
        ['2026-09-20', SUNDAY],
        ['2026-10-10', SATURDAY],
      ]),
    ],
  },
];

function daysOff({ festival, daysOff: { from, to } }: NoticeArrangement): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let date = from; compareDates(date, to) <= 0; date = addDays(date, 1))
    days.push({ date, name: festival });
  return days;
}

export const CN_STATE_COUNCIL_YEARS: readonly CalendarYear[] = STATE_COUNCIL_NOTICES.map((notice) => ({
  year: notice.year,
  source: notice.source,
  holidays: notice.arrangements.flatMap(daysOff),
  makeUpWorkdays: notice.arrangements.flatMap(({ festival, makeUpWorkdays }) =>
    makeUpWorkdays.map(({ date }) => ({ date, name: `调休上班 make-up workday for ${festival}` })),
  ),
}));
