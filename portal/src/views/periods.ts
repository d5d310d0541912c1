import type { HomePeriodsQuery } from '@/gql/graphql'

type Period = HomePeriodsQuery['periods'][number]
interface Ordered { year: number; quarter?: number | null }

/** Newest first: a year's annual period after its fourth quarter. */
function newestFirst<P extends Ordered>(periods: readonly P[]): P[] {
  const order = (p: P): number => p.year * 10 + (p.quarter ?? 5)
  return [...periods].sort((a, b) => order(b) - order(a))
}

/** The period a person works in now: the latest one not closed, else the latest closed one. */
export function currentPeriod(periods: readonly Period[]): Period | null {
  const sorted = newestFirst(periods)
  return sorted.find((p) => p.state !== 'closed') ?? sorted[0] ?? null
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false })
}

/** Periods of a list in the given states, newest first. */
export function periodsIn<P extends Ordered & { state: string }>(
  periods: readonly P[], states: readonly string[]): P[] {
  return newestFirst(periods.filter((p) => states.includes(p.state)))
}
