// Small helpers shared by the office's pages (督办, 点赞/错情, 待确认加分).

/** Today in the browser's time zone as YYYY-MM-DD (the API's Date). */
export function todayIso(): string {
  const d = new Date()
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The page size of the office's lists; more with 加载更多. */
export const PAGE_SIZE = 50
