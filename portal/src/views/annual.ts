// The year periods of the 年度述职 and 民主测评 pages: newest first, an open one preferred.
import type { HomePeriodsQuery } from '@/gql/graphql'

export type Period = HomePeriodsQuery['periods'][number]

/** The unit's year periods, newest first. */
export function yearPeriods(periods: readonly Period[]): Period[] {
  return periods.filter((p) => p.quarter == null).sort((a, b) => b.year - a.year)
}

/** The year period a person works in now: the newest not closed, else the newest. */
export function currentYear(periods: readonly Period[]): Period | null {
  const years = yearPeriods(periods)
  return years.find((p) => p.state !== 'closed') ?? years[0] ?? null
}

export function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`
}
